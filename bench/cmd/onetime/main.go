// Command onetime measures the costs nngen's user pays once per network:
// `nngen gen` time, `go build` time of the generated package (its
// dependencies already compiled), lines generated, and the binary size a
// program grows by when it embeds R2 (generated mnist). It works in a
// temporary module and writes report.OneTime as JSON.
//
//	onetime [-specs DIR] [-o FILE]       (run from the repository root)
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/nngen/nngen/bench/report"
	"github.com/nngen/nngen/spec"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "onetime:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("onetime", flag.ContinueOnError)
	specs := fs.String("specs", "testdata/specs", "directory of the reference specs r*.nn")
	out := fs.String("o", "-", "output file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "nngen-onetime-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	ot, err := measure(*specs, tmp)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(ot, "", " ")
	if err != nil {
		return err
	}
	if *out == "-" {
		_, err = os.Stdout.Write(append(b, '\n'))
		return err
	}
	return os.WriteFile(*out, append(b, '\n'), 0o644)
}

// measure builds the nngen command, then generates and builds each spec
// in a module under tmp.
func measure(specDir, tmp string) (*report.OneTime, error) {
	paths, err := filepath.Glob(filepath.Join(specDir, "r[0-9]*.nn"))
	if err != nil || len(paths) == 0 {
		return nil, fmt.Errorf("no r*.nn specs in %s", specDir)
	}
	ot := &report.OneTime{}
	nngen := filepath.Join(tmp, "nngen")
	if _, err := timed("", "go", "build", "-o", nngen, "./cmd/nngen"); err != nil {
		ot.SizeNote = "nothing measured: " + err.Error()
		return ot, nil // the rest of the benchmark still runs
	}
	mod := filepath.Join(tmp, "mod")
	if err := writeFile(filepath.Join(mod, "go.mod"), "module benchtmp\n\ngo 1.26\n"); err != nil {
		return nil, err
	}
	for _, p := range paths {
		ot.Networks = append(ot.Networks, network(nngen, mod, p))
	}
	sizes(ot, mod)
	return ot, nil
}

// network generates and builds one spec's package in mod.
func network(nngen, mod, specPath string) report.NetworkOneTime {
	n := report.NetworkOneTime{Network: strings.TrimSuffix(filepath.Base(specPath), ".nn")}
	m, err := spec.Load(specPath)
	if err != nil {
		n.Error = err.Error()
		return n
	}
	dir := filepath.Join(mod, m.Name)
	if n.GenMS, err = median3(func() (float64, error) {
		return timed("", nngen, "gen", "-o", dir, specPath)
	}); err != nil {
		n.Error = "gen: " + err.Error()
		return n
	}
	n.GoLines = lines(dir)
	if n.BuildMS, err = buildTime(mod, m.Name); err != nil {
		n.Error = "build: " + err.Error()
	}
	return n
}

// buildTime builds the package once to compile its dependencies, then
// adds a file with a fresh comment, so the build cache cannot answer for
// the package itself, and times the second build.
func buildTime(mod, pkg string) (float64, error) {
	if _, err := timed(mod, "go", "build", "./"+pkg); err != nil {
		return 0, err
	}
	return median3(func() (float64, error) {
		nonce := fmt.Sprintf("package %s\n\n// nonce %d\n", pkg, nextNonce())
		if err := writeFile(filepath.Join(mod, pkg, "zz_bench_nonce.go"), nonce); err != nil {
			return 0, err
		}
		return timed(mod, "go", "build", "./"+pkg)
	})
}
