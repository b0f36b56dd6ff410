package main

import (
	"github.com/nngen/nngen/ref"
	"github.com/nngen/nngen/spec"
)

// refOps times the gonum reference implementation, float64, as nngen
// verify uses it.
func refOps(m *spec.Model) (*ops, error) {
	n := ref.New(m)
	n.Init(seed)
	d := newData(m)
	x1 := d.x[:1]
	return &ops{
		forward1:     func() { n.Forward(x1) },
		forwardBatch: func() { n.Forward(d.x) },
		step:         func() { n.Step(d.x, d.y) },
		info:         "package ref (gonum, float64)",
	}, nil
}
