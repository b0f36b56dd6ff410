package main

import (
	"fmt"

	"github.com/nngen/nngen/bench/handwritten"
	"github.com/nngen/nngen/ref"
	"github.com/nngen/nngen/spec"
)

// handOps times the hand-written MLP; it exists only for networks that are
// dense layers with ReLU between them and an mse or cross-entropy loss
// (R1 and R2).
func handOps(m *spec.Model) (*ops, error) {
	sizes, ok := mlpSizes(m)
	if !ok {
		return nil, fmt.Errorf("no hand-written implementation of %s", m.Name)
	}
	h := handwritten.New(sizes, m.Batch, float32(m.Optimizer.LR))
	loadWeights(h, m)
	d := newData(m)
	x, out := make([][]float32, m.Batch), make([][]float32, m.Batch)
	for b := range x {
		x[b], out[b] = make([]float32, m.Input.Size()), make([]float32, m.Output.Size())
		flatten(x[b], d.x[b:b+1])
	}
	o := &ops{
		forward1:     func() { h.Forward(x[0], out[0]) },
		forwardBatch: func() { h.ForwardBatch(x, out) },
		output:       func() []float64 { return widen(out[0]) },
		info:         "bench/handwritten (float32 slices and loops)",
	}
	o.step = stepFunc(h, m, d, x)
	return o, nil
}

func stepFunc(h *handwritten.MLP, m *spec.Model, d batchData, x [][]float32) func() {
	if m.Loss == spec.CrossEntropy {
		labels := make([]int32, m.Batch)
		for b := range labels {
			labels[b] = int32(d.y[b][0])
		}
		return func() { h.StepClasses(x, labels) }
	}
	y := make([][]float32, m.Batch)
	for b := range y {
		y[b] = make([]float32, m.Output.Size())
		flatten(y[b], d.y[b:b+1])
	}
	return func() { h.StepMSE(x, y) }
}

// mlpSizes returns the layer widths if m is dense (relu dense)* with
// biases on a vector input and an mse or cross-entropy loss, and no momentum.
func mlpSizes(m *spec.Model) ([]int, bool) {
	if len(m.Input) != 1 || m.Loss == spec.Logistic || m.Optimizer.Momentum != 0 || m.DType != spec.Float32 {
		return nil, false
	}
	sizes := []int{m.Input[0]}
	for i, l := range m.Layers {
		wantDense := i%2 == 0
		switch {
		case wantDense && l.Kind == spec.Dense && l.Bias:
			sizes = append(sizes, l.Units)
		case !wantDense && l.Kind == spec.ReLU:
		default:
			return nil, false
		}
	}
	return sizes, len(m.Layers)%2 == 1
}

// loadWeights copies the reference's initial weights (weightinit, seed)
// into h: W then b for each dense layer, PyTorch layout in both.
func loadWeights(h *handwritten.MLP, m *spec.Model) {
	n := ref.New(m)
	n.Init(seed)
	for l := range h.W {
		flatten(h.W[l], n.Params[2*l:2*l+1])
		flatten(h.B[l], n.Params[2*l+1:2*l+2])
	}
}
