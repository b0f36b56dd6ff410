package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// timed runs a command in dir and returns its wall time in milliseconds.
func timed(dir, name string, args ...string) (float64, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	t := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, firstLine(stderr.String()))
	}
	return float64(time.Since(t).Microseconds()) / 1e3, nil
}

// firstLine is the first line of go's error output that is not a
// "# package" heading.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "# ") {
			return l
		}
	}
	return ""
}

// median3 runs f three times and returns the median.
func median3(f func() (float64, error)) (float64, error) {
	var v []float64
	for range 3 {
		ms, err := f()
		if err != nil {
			return 0, err
		}
		v = append(v, ms)
	}
	slices.Sort(v)
	return v[1], nil
}

var nonce = time.Now().UnixNano()

func nextNonce() int64 { nonce++; return nonce }

func writeFile(path, text string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(text), 0o644)
}

// lines counts the lines of the Go and assembly files in dir.
func lines(dir string) int {
	n := 0
	for _, pat := range []string{"*.go", "*.s"} {
		files, _ := filepath.Glob(filepath.Join(dir, pat))
		for _, f := range files {
			if strings.HasSuffix(f, "zz_bench_nonce.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err == nil {
				n += bytes.Count(b, []byte("\n"))
			}
		}
	}
	return n
}
