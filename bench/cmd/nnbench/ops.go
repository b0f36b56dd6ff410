package main

import (
	"fmt"

	"github.com/nngen/nngen/spec"
)

// ops are the timed operations of one implementation on one network, over
// fixed data (data.go), plus what the agreement check needs.
type ops struct {
	forward1     func()           // Forward on the first example of the batch
	forwardBatch func()           // ForwardBatch on the whole batch
	step         func()           // Step: forward, backward, SGD update
	model        any              // the generated model, for -threads
	output       func() []float64 // forward1's output, after forward1 ran
	info         string
}

func (o *ops) op(name string) func() {
	switch name {
	case "forward1":
		return o.forward1
	case "forwardbatch":
		return o.forwardBatch
	case "step":
		return o.step
	}
	return nil
}

// maker builds an implementation's ops for a model.
type maker func(m *spec.Model) (*ops, error)

// generated holds the generated packages compiled into this binary, by
// model name; the gen_*.go files fill it.
var generated = map[string]maker{}

func newOps(impl string, m *spec.Model) (*ops, error) {
	switch impl {
	case "nngen":
		mk, ok := generated[m.Name]
		if !ok {
			return nil, fmt.Errorf("generated/%s is not in this build", m.Name)
		}
		return mk(m)
	case "ref":
		return refOps(m)
	case "handwritten":
		return handOps(m)
	}
	return nil, fmt.Errorf("unknown implementation %q", impl)
}
