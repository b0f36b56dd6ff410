//go:build !nogen_signal

package main

import (
	"github.com/nngen/nngen/generated/signal"
	"github.com/nngen/nngen/spec"
)

func init() { generated["signal"] = signalOps }

// signalOps times generated/signal on the shared batch (data.go).
func signalOps(m *spec.Model) (*ops, error) {
	net := signal.New()
	net.Init(seed)
	d := newData(m)
	x, out, y := new([signal.BatchSize]signal.Input), new([signal.BatchSize]signal.Output), new([signal.BatchSize]signal.Target)
	flatten(floats(x), d.x)
	for b := range y {
		y[b] = float32(d.y[b][0]) // logistic: 0 or 1
	}
	return &ops{
		forward1:     func() { net.Forward(&x[0], &out[0]) },
		forwardBatch: func() { net.ForwardBatch(x, out) },
		step:         func() { net.Step(x, y) },
		model:        net,
		output:       func() []float64 { return widen(floats(&out[0])) },
		info:         "generated/signal, kernels " + signal.Kernels(),
	}, nil
}
