//go:build !nogen_housing

package main

import (
	"github.com/nngen/nngen/generated/housing"
	"github.com/nngen/nngen/spec"
)

func init() { generated["housing"] = housingOps }

// housingOps times generated/housing on the shared batch (data.go).
func housingOps(m *spec.Model) (*ops, error) {
	net := housing.New()
	net.Init(seed)
	d := newData(m)
	x, out, y := new([housing.BatchSize]housing.Input), new([housing.BatchSize]housing.Output), new([housing.BatchSize]housing.Target)
	flatten(floats(x), d.x)
	flatten(floats(y), d.y) // mse: Target is Output
	return &ops{
		forward1:     func() { net.Forward(&x[0], &out[0]) },
		forwardBatch: func() { net.ForwardBatch(x, out) },
		step:         func() { net.Step(x, y) },
		model:        net,
		output:       func() []float64 { return widen(floats(&out[0])) },
		info:         "generated/housing, kernels " + housing.Kernels(),
	}, nil
}
