package handwritten

import (
	"math"
	"testing"

	"github.com/nngen/nngen/ref"
	"github.com/nngen/nngen/spec"
	"github.com/nngen/nngen/weightinit"
)

// The hand-written peer must compute what the reference computes, or the
// benchmark compares unequal work.

func load(t *testing.T, name string) (*spec.Model, *ref.Net, *MLP) {
	t.Helper()
	m, err := spec.Load("../../testdata/specs/" + name)
	if err != nil {
		t.Fatal(err)
	}
	n := ref.New(m)
	n.Init(7)
	sizes := []int{m.Input[0]}
	for _, l := range m.Layers {
		if l.Kind == spec.Dense {
			sizes = append(sizes, l.Units)
		}
	}
	h := New(sizes, m.Batch, float32(m.Optimizer.LR))
	for l := range h.W {
		copy32(h.W[l], n.Params[2*l])
		copy32(h.B[l], n.Params[2*l+1])
	}
	return m, n, h
}

func copy32(dst []float32, src []float64) {
	for i, v := range src {
		dst[i] = float32(v)
	}
}

func batch(m *spec.Model) ([][]float64, [][]float32) {
	r := weightinit.NewRand(3)
	x64, x32 := make([][]float64, m.Batch), make([][]float32, m.Batch)
	for b := range x64 {
		x64[b], x32[b] = make([]float64, m.Input.Size()), make([]float32, m.Input.Size())
		for i := range x64[b] {
			x64[b][i] = 2*r.Float64() - 1
			x32[b][i] = float32(x64[b][i])
		}
	}
	return x64, x32
}

func near(t *testing.T, what string, got []float32, want []float64) {
	t.Helper()
	for i := range want {
		if d := math.Abs(float64(got[i]) - want[i]); d > 1e-4*max(1, math.Abs(want[i])) {
			t.Fatalf("%s[%d] = %g, want %g", what, i, got[i], want[i])
		}
	}
}

func TestForwardMatchesRef(t *testing.T) {
	m, n, h := load(t, "r2_mnist.nn")
	x64, x32 := batch(m)
	want := n.Forward(x64).Logits
	out := make([][]float32, m.Batch)
	for b := range out {
		out[b] = make([]float32, m.Output.Size())
	}
	h.ForwardBatch(x32, out)
	for b := range out {
		near(t, "ForwardBatch", out[b], want[b])
	}
	one := make([]float32, m.Output.Size())
	h.Forward(x32[5], one)
	near(t, "Forward", one, want[5])
}

func TestStepClassesMatchesRef(t *testing.T) {
	m, n, h := load(t, "r2_mnist.nn")
	x64, x32 := batch(m)
	y64, labels := make([][]float64, m.Batch), make([]int32, m.Batch)
	for b := range labels {
		labels[b] = int32(b % 10)
		y64[b] = []float64{float64(labels[b])}
	}
	wantJ := n.Step(x64, y64)
	gotJ := h.StepClasses(x32, labels)
	near(t, "J", []float32{gotJ}, []float64{wantJ})
	for l := range h.W {
		near(t, "W", h.W[l], n.Params[2*l])
		near(t, "B", h.B[l], n.Params[2*l+1])
	}
}

func TestStepMSEMatchesRef(t *testing.T) {
	m, n, h := load(t, "r1_housing.nn")
	x64, x32 := batch(m)
	y64, y32 := [][]float64{{0.75}}, [][]float32{{0.75}}
	for range 3 { // a few steps, so that a wrong update accumulates
		wantJ := n.Step(x64, y64)
		gotJ := h.StepMSE(x32, y32)
		near(t, "J", []float32{gotJ}, []float64{wantJ})
	}
	for l := range h.W {
		near(t, "W", h.W[l], n.Params[2*l])
		near(t, "B", h.B[l], n.Params[2*l+1])
	}
}
