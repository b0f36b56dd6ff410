//go:build !nogen_digits

package main

import (
	"github.com/nngen/nngen/generated/digits"
	"github.com/nngen/nngen/spec"
)

func init() { generated["digits"] = digitsOps }

// digitsOps times generated/digits on the shared batch (data.go).
func digitsOps(m *spec.Model) (*ops, error) {
	net := digits.New()
	net.Init(seed)
	d := newData(m)
	x, out, y := new([digits.BatchSize]digits.Input), new([digits.BatchSize]digits.Output), new([digits.BatchSize]digits.Target)
	flatten(floats(x), d.x)
	for b := range y {
		y[b] = int32(d.y[b][0]) // class index
	}
	return &ops{
		forward1:     func() { net.Forward(&x[0], &out[0]) },
		forwardBatch: func() { net.ForwardBatch(x, out) },
		step:         func() { net.Step(x, y) },
		model:        net,
		output:       func() []float64 { return widen(floats(&out[0])) },
		info:         "generated/digits, kernels " + digits.Kernels(),
	}, nil
}
