package ir

import "github.com/nngen/nngen/spec"

// Thresholds of kernel selection, measured on the machines of the speed
// reports (README, Speed): below them a call into assembly and its
// dispatch cost about as much as the work.
const (
	// MinSIMDRow is the shortest row an elementwise kernel (bias add,
	// relu, col2im add) runs in assembly.
	MinSIMDRow = 32
	// MinSIMDUpdate is the smallest parameter whose SGD update runs in
	// assembly.
	MinSIMDUpdate = 256
)

// Plan is what SelectKernels decided: the implementation of every matrix
// product, the parameters updated in SIMD, and the row threshold of the
// elementwise kernels. The printers follow it.
type Plan struct {
	UnrollMax  int
	Matmuls    []MatmulKernel       // every distinct product, by name
	SIMDUpdate map[*spec.Param]bool // parameters whose optimizer update runs in assembly
	MinSIMDRow int
}

// MatmulKernel is a product and how it runs.
type MatmulKernel struct {
	Matmul
	Asm bool // assembly with a generic twin; false: straight-line Go, cheaper than a call
}

// SelectKernels makes every implementation decision of the back end.
func SelectKernels(p *Program, o Options) {
	pl := &Plan{UnrollMax: o.UnrollMax, MinSIMDRow: MinSIMDRow, SIMDUpdate: map[*spec.Param]bool{}}
	for _, k := range p.Kernels() {
		pl.Matmuls = append(pl.Matmuls, MatmulKernel{Matmul: k, Asm: k.M*k.N*k.K > o.UnrollMax})
	}
	if p.Training() { // every optimizer has assembly updates (package asm)
		for _, par := range p.Model.Params {
			pl.SIMDUpdate[par] = par.Shape.Size() >= MinSIMDUpdate
		}
	}
	p.Plan = pl
}

// StraightLine reports whether product k stays in Go without assembly:
// straight-line code, or loops over the batch rows when it is Batched.
func (pl *Plan) StraightLine(k Matmul) bool { return k.M*k.N*k.K <= pl.UnrollMax }

// Batched reports whether kernel k takes a row range (Program.Kernels).
func (pl *Plan) Batched(k Matmul) bool {
	for _, mk := range pl.Matmuls {
		if mk.Name() == k.Name() {
			return mk.Batched
		}
	}
	return false
}
