package gen

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nngen/nngen/spec"
)

func load(t *testing.T, name string) *spec.Model {
	t.Helper()
	m, err := spec.Load(filepath.Join("..", "testdata", "specs", name))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestDeterministic(t *testing.T) {
	for _, name := range []string{"r1_housing.nn", "r3_resnet.nn", "allops.nn"} {
		a, err := Generate(load(t, name), Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := Generate(load(t, name), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != len(b) {
			t.Fatalf("%s: %d files, then %d", name, len(a), len(b))
		}
		for f, src := range a {
			if !bytes.Equal(src, b[f]) {
				t.Errorf("%s: %s differs between two runs", name, f)
			}
			if !bytes.HasPrefix(src, []byte(Header+"\n")) {
				t.Errorf("%s: %s lacks the header", name, f)
			}
		}
	}
}

// clashSpec names layers like the generated package's own identifiers.
const clashSpec = `model clash
input 3
batch 2
dense 4 name=loss
relu
dense 4 name=x
layernorm name=m
dense 2 name=forward
sigmoid
dense 2 name=update
loss mse
optimizer sgd lr=0.1 momentum=0.5
`

// noParamsSpec has nothing to initialise or update.
const noParamsSpec = "model noparams\ninput 3\nbatch 2\nrelu\nloss mse\noptimizer sgd lr=0.1\n"

// write generates the spec at path into dir.
func write(t *testing.T, dir, path string, opts Options) {
	t.Helper()
	m, err := spec.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	for f, src := range files {
		if err := os.WriteFile(filepath.Join(dir, f), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGeneratedVets(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module gentest\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	names, _ := filepath.Glob("../testdata/specs/*.nn")
	for name, src := range map[string]string{"clash.nn": clashSpec, "noparams.nn": noParamsSpec} {
		path := filepath.Join(root, name)
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, path)
	}
	for _, path := range names {
		name := filepath.Base(path)
		dir := filepath.Join(root, name[:len(name)-3])
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, dir, path, Options{Package: "p"})
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet: %v\n%s", err, out)
	}
}

// TestStraightLineAndSize checks the unrolling policy: R1's layers and
// kernels have no loops at all (every nest is under UnrollMax), and R2's
// package stays small.
func TestStraightLineAndSize(t *testing.T) {
	r1, err := Generate(load(t, "r1_housing.nn"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The products and layers are straight-line; the optimizer's update is
	// one loop over a range of the parameters' elements, which SetThreads
	// splits at run time.
	loop := regexp.MustCompile(`(?m)^\s+for `)
	update := regexp.MustCompile(`(?s)\nfunc sgdLoopf32\(.*?\n}\n`)
	for _, f := range []string{"housing_layers.go", "housing_kernels.go"} {
		src := r1[f]
		if f == "housing_kernels.go" {
			if !update.Match(src) {
				t.Errorf("%s has no update loop sgdLoopf32", f)
			}
			src = update.ReplaceAll(src, nil)
		}
		if loc := loop.FindIndex(src); loc != nil {
			t.Errorf("%s has a loop: %q", f, src[loc[0]:loc[1]+20])
		}
	}
	r2, err := Generate(load(t, "r2_mnist.nn"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The Go a reviewer reads stays under ~2,000 lines; the kernels' .s
	// (generated from ir.Matmul by package asm, one block per shape), the
	// test vectors and the codec (a verbatim copy of weights/codec.go) are
	// not counted.
	lines := 0
	for name, src := range r2 {
		if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") && !strings.HasSuffix(name, "_codec.go") {
			lines += strings.Count(string(src), "\n")
		}
	}
	if lines > 2000 || lines < 300 {
		t.Errorf("R2 package has %d lines of Go, want 300–2000", lines)
	}
	// Unroll 1 and a tiny UnrollMax must still give a valid package.
	if _, err := Generate(load(t, "r4_digits.nn"), Options{UnrollMax: 1, Unroll: 1}); err != nil {
		t.Error(err)
	}
}

// TestLargeKernelCodeBounded: a convolution's code does not grow with its
// kernel. A 63x63 kernel (3,969 offsets) used to be unrolled offset by
// offset in each of its four im2col and col2im passes; it loops now, and
// its layers file is about the size of a 3x3 one's.
func TestLargeKernelCodeBounded(t *testing.T) {
	size := func(k int) int {
		t.Helper()
		src := fmt.Sprintf("model m\ninput 2x64x64\nbatch 2\nrelu\nconv2d 2 kernel=%d pad=valid\nflatten\ndense 3\nloss mse\noptimizer sgd lr=0.1\n", k)
		m, err := spec.ParseAndCheck("m.nn", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		files, err := Generate(m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return len(files["m_layers.go"])
	}
	small, large := size(3), size(63)
	if large > 2*small {
		t.Errorf("layers file: %d bytes with a 63x63 kernel, %d with 3x3", large, small)
	}
}
