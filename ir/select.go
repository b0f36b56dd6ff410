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
	Matmuls    []MatmulKernel // every distinct product, by name
	Updates    []Update       // distinct SIMD update kernels, in Params order of first use
	SIMDUpdate map[*spec.Param]bool
	MinSIMDRow int
}

// MatmulKernel is a product and how it runs.
type MatmulKernel struct {
	Matmul
	Asm bool // assembly with a generic twin; false: straight-line Go, cheaper than a call
}

// Update is an SGD update kernel over N elements.
type Update struct {
	DType    spec.DType
	N        int
	Momentum bool
}

// SelectKernels makes every implementation decision of the back end.
func SelectKernels(p *Program, o Options) {
	pl := &Plan{UnrollMax: o.UnrollMax, MinSIMDRow: MinSIMDRow, SIMDUpdate: map[*spec.Param]bool{}}
	for _, k := range p.Kernels() {
		pl.Matmuls = append(pl.Matmuls, MatmulKernel{Matmul: k, Asm: k.M*k.N*k.K > o.UnrollMax})
	}
	if p.Training() {
		seen := map[Update]bool{}
		for _, par := range p.Model.Params {
			o := p.Model.Optimizer
			u := Update{DType: p.Model.DType, N: par.Shape.Size(), Momentum: o.Momentum != 0}
			if u.N < MinSIMDUpdate || !simdOptimizer(o) {
				continue
			}
			pl.SIMDUpdate[par] = true
			if !seen[u] {
				seen[u] = true
				pl.Updates = append(pl.Updates, u)
			}
		}
	}
	p.Plan = pl
}

// StraightLine reports whether product k is straight-line Go.
func (pl *Plan) StraightLine(k Matmul) bool { return k.M*k.N*k.K <= pl.UnrollMax }

// simdOptimizer reports whether package asm has update kernels for o:
// every optimizer has.
func simdOptimizer(o spec.Optimizer) bool { return true }
