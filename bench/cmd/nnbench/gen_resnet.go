//go:build !nogen_resnet

package main

import (
	"github.com/nngen/nngen/generated/resnet"
	"github.com/nngen/nngen/spec"
)

func init() { generated["resnet"] = resnetOps }

// resnetOps times generated/resnet on the shared batch (data.go).
func resnetOps(m *spec.Model) (*ops, error) {
	net := resnet.New()
	net.Init(seed)
	d := newData(m)
	x, out, y := new([resnet.BatchSize]resnet.Input), new([resnet.BatchSize]resnet.Output), new([resnet.BatchSize]resnet.Target)
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
		info:         "generated/resnet, kernels " + resnet.Kernels(),
	}, nil
}
