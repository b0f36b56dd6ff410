package spec

import (
	"path/filepath"
	"testing"
)

// TestValidSpecs checks that every spec in testdata/specs loads.
func TestValidSpecs(t *testing.T) {
	paths, err := filepath.Glob("../testdata/specs/*.nn")
	if err != nil || len(paths) < 6 {
		t.Fatalf("found %d specs (%v), want at least 6", len(paths), err)
	}
	for _, p := range paths {
		m, err := Load(p)
		if err != nil {
			t.Errorf("%s:\n%v", p, err)
			continue
		}
		if m.File != filepath.Base(p) || len(m.Layers) == 0 || m.Output == nil {
			t.Errorf("%s: file %q, %d layers, output %v", p, m.File, len(m.Layers), m.Output)
		}
	}
}

// countParams sums the sizes of all parameters.
func countParams(m *Model) int {
	n := 0
	for _, p := range m.Params {
		n += p.Shape.Size()
	}
	return n
}

// TestReferenceNetworks pins R1–R5's shapes and parameter counts.
func TestReferenceNetworks(t *testing.T) {
	tests := []struct {
		file   string
		name   string
		input  string
		output string
		batch  int
		loss   LossKind
		params int
	}{
		{"r1_housing.nn", "housing", "4", "1", 1, MSE, 4*3 + 3 + 3 + 1},
		{"r2_mnist.nn", "mnist", "784", "10", 32, CrossEntropy, 101770},
		{"r3_resnet.nn", "resnet", "64", "10", 32, CrossEntropy, 4*(2*(64*64+64)+2*64) + 64*10 + 10},
		{"r4_digits.nn", "digits", "1x8x8", "10", 32, CrossEntropy, 8*9 + 8 + 16*8*9 + 16 + 16*64*10 + 10},
		{"r5_signal.nn", "signal", "16x128", "1", 32, Logistic, 32*16*5 + 32 + 32*32*5 + 32 + 32*128 + 1},
	}
	for _, tt := range tests {
		m, err := Load("../testdata/specs/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		got := [...]any{m.Name, m.Input.String(), m.Output.String(), m.Batch, m.Loss, countParams(m), m.DType, m.Optimizer}
		want := [...]any{tt.name, tt.input, tt.output, tt.batch, tt.loss, tt.params, Float32, Optimizer{LR: 0.01}}
		if got != want {
			t.Errorf("%s: got %v, want %v", tt.file, got, want)
		}
	}
}
