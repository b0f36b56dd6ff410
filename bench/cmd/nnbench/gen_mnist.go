//go:build !nogen_mnist

package main

import (
	"github.com/nngen/nngen/generated/mnist"
	"github.com/nngen/nngen/spec"
)

func init() { generated["mnist"] = mnistOps }

// mnistOps times generated/mnist on the shared batch (data.go).
func mnistOps(m *spec.Model) (*ops, error) {
	net := mnist.New()
	net.Init(seed)
	d := newData(m)
	x, out, y := new([mnist.BatchSize]mnist.Input), new([mnist.BatchSize]mnist.Output), new([mnist.BatchSize]mnist.Target)
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
		info:         "generated/mnist, kernels " + mnist.Kernels(),
	}, nil
}
