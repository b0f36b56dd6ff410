package asm_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/nngen/nngen/asm"
)

// TestKernelSweep runs internal/kerneltest's conformance tests on the full
// sweep of shapes (testKernels, testUpdates, testElems): it writes the
// package, generated as gen would, with kerneltest's hand-written tests into
// a temporary module and runs go test there on every path this CPU has. The
// sweep is generated rather than checked in: its assembly was 126k lines,
// and one planner constant changed 53k of them.
func TestKernelSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a temporary module")
	}
	dir := t.TempDir()
	files := kernelTestFilesFor(t, asm.TestKernels(), asm.TestUpdates(), asm.TestElems())
	ents, err := os.ReadDir(kernelTestDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), "_test.go") && e.Name() != "doc.go" {
			continue
		}
		src, err := os.ReadFile(filepath.Join(kernelTestDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = src
	}
	files["go.mod"] = []byte("module kerneltest\n\ngo 1.22\n")
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "test", "-count=1", "-run", "Conformance|RowRanges|Update|Elem|ExpNaN|Softmax|LayerNorm|Range", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test of the kernel sweep: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
