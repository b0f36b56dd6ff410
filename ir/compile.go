package ir

import (
	"fmt"

	"github.com/nngen/nngen/spec"
)

// Options are the back end's choices that the spec does not make.
type Options struct {
	Infer     bool // an inference package: the forward passes only
	UnrollMax int  // products of at most this many multiply-adds stay straight-line Go
}

// DefaultUnrollMax is Options.UnrollMax when zero.
const DefaultUnrollMax = 64

// MaxUnrollMax bounds Options.UnrollMax: the straight-line code of one
// product or loop nest grows with it, and with it what the Go compiler
// needs (the resource test in cmd/nngen measures a spec at this limit).
const MaxUnrollMax = 1 << 8

// Compile runs the back end's passes in order; this list is its
// architecture, and the CLI, nngen verify, gen and the tests all come
// through here:
//
//	Lower          spec.Model → schedules of ops over fixed buffers
//	ForwardOnly    (inference packages) drop the loss, backward and their buffers
//	limitMatmuls   refuse more distinct matrix products than MaxMatmuls
//	Fuse           bias + relu into one pass on the relu's output; gradients of activations in place
//	SplitUnits     an MLP's first layer by blocks of its units, each thread's blocks on its core (SetThreads)
//	SelectKernels  every Go/assembly/threshold decision, recorded in Program.Plan
//	Verify         bounds, operand lengths, write-before-read, coverage
//
// Printers (package gen, package asm, Program.String) only print the result.
func Compile(m *spec.Model, o Options) (*Program, error) {
	if o.UnrollMax <= 0 {
		o.UnrollMax = DefaultUnrollMax
	}
	if o.UnrollMax > MaxUnrollMax {
		return nil, fmt.Errorf("unroll-max %d is over the limit of %d", o.UnrollMax, MaxUnrollMax)
	}
	p, err := Lower(m)
	if err != nil {
		return nil, err
	}
	if o.Infer {
		ForwardOnly(p)
		sharedPads(p) // the backward pass's writers are gone
	}
	if err := limitMatmuls(p); err != nil {
		return nil, err
	}
	Fuse(p)
	SplitUnits(p)
	SelectKernels(p, o)
	if err := Verify(p); err != nil {
		return nil, fmt.Errorf("internal error: lowered %s does not verify: %w", m.Name, err)
	}
	return p, nil
}
