package main

import (
	"github.com/nngen/nngen/ref"
	"github.com/nngen/nngen/spec"
)

// refDump is what torch_bench.py --check needs to show that its model
// computes what the spec says: the reference's initial weights (spec
// declaration order, PyTorch layout: the order of model.parameters()),
// the batch, the output on the first example and the batch loss.
type refDump struct {
	Params [][]float64 `json:"params"`
	X      [][]float64 `json:"x"`
	Y      [][]float64 `json:"y"`
	Out0   []float64   `json:"out0"`
	Loss   float64     `json:"loss"`
}

func newRefDump(m *spec.Model) *refDump {
	n := ref.New(m)
	n.Init(seed)
	d := newData(m)
	return &refDump{
		Params: n.Params,
		X:      d.x,
		Y:      d.y,
		Out0:   n.Forward(d.x[:1]).Logits[0],
		Loss:   n.Loss(d.x, d.y),
	}
}
