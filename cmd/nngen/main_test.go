package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestCheckGolden runs `nngen check` on the reference networks and compares
// the printed tables with testdata/check/*.golden.
func TestCheckGolden(t *testing.T) {
	specs, _ := filepath.Glob("../../testdata/specs/r*.nn")
	if len(specs) < 5 {
		t.Fatalf("found %d reference specs, want 5", len(specs))
	}
	for _, path := range specs {
		name := strings.TrimSuffix(filepath.Base(path), ".nn")
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run([]string{"check", path}, &out, &errb); code != exitOK {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			golden := filepath.Join("testdata", "check", name+".golden")
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				os.WriteFile(golden, out.Bytes(), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if out.String() != string(want) {
				t.Errorf("nngen check %s:\n%s\nwant:\n%s", path, out.String(), want)
			}
		})
	}
}

func TestCheckR2Totals(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"check", "../../testdata/specs/r2_mnist.nn"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "parameters:         101,770 (407,080 bytes)") {
		t.Errorf("R2 totals missing from:\n%s", out.String())
	}
}

func TestExitCodes(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.nn")
	os.WriteFile(bad, []byte("model bad\ninput 4\ndens 3\nloss mse\noptimizer sgd lr=0.1\n"), 0o644)
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{nil, exitUsage, "usage"},
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{[]string{"check"}, exitUsage, "usage: nngen check"},
		{[]string{"check", "a.nn", "b.nn"}, exitUsage, "usage: nngen check"},
		{[]string{"check", bad}, exitFail, `bad.nn:3:1: unknown layer "dens"`},
		{[]string{"check", "does-not-exist.nn"}, exitFail, "does-not-exist.nn"},
	} {
		var out, errb bytes.Buffer
		code := run(tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(errb.String(), tc.msg) {
			t.Errorf("nngen %v: exit %d, stderr %q; want exit %d and %q", tc.args, code, errb.String(), tc.code, tc.msg)
		}
	}
}
