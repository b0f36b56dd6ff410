package ir

import "github.com/nngen/nngen/spec"

// Thresholds of kernel selection, measured on the machines of the speed
// reports (README, Speed): below them a call into assembly and its
// dispatch cost about as much as the work.
const (
	// MinSIMDRow is the shortest row an elementwise kernel (bias add,
	// relu, col2im add) runs in assembly.
	MinSIMDRow = 32

	// MinSplitStepFlops is the work of a Step per parameter (FLOPs of the
	// batch's forward and backward passes ÷ parameters) from which
	// SetThreads splits Step over its threads. Split by rows of the batch,
	// every thread reads all of W in its forward pass, half of it written by
	// another core in the last update, and the threads' gradients are added
	// across cores: about four times the parameters' bytes between cores
	// every Step, whatever the batch's work. With two threads R2 (128 FLOPs
	// a parameter) and R3 (193) stepped 0.62–0.76× as fast as one thread on
	// Zen 5 and 0.85–1.13× on an Intel Xeon; R4 (1,475) and R5 (14,345) 1.5–2.8×.
	MinSplitStepFlops = 1000
)

// Plan is what SelectKernels decided: the implementation of every matrix
// product, the optimizer's update kernel, and the elementwise kernels the
// ops run (rowkernels.go). The printers follow it.
type Plan struct {
	UnrollMax  int
	Matmuls    []MatmulKernel // every distinct product, by name
	Update     *Update        // the update kernel over UpdateChunk elements; nil: Go only
	Elems      []Elementwise  // every elementwise kernel the ops run, by name
	MinSIMDRow int
	SplitStep  bool // SetThreads splits Step over its threads (MinSplitStepFlops); else Step runs on the calling goroutine
}

// MatmulKernel is a product and how it runs.
type MatmulKernel struct {
	Matmul
	Asm bool // assembly with a generic twin; false: straight-line Go, cheaper than a call
}

// SelectKernels makes every implementation decision of the back end.
func SelectKernels(p *Program, o Options) {
	pl := &Plan{UnrollMax: o.UnrollMax, MinSIMDRow: MinSIMDRow}
	for _, k := range p.Kernels() {
		pl.Matmuls = append(pl.Matmuls, MatmulKernel{Matmul: k, Asm: k.M*k.N*k.K > o.UnrollMax})
	}
	if p.Training() && p.Model.Total().Params >= UpdateChunk { // every optimizer has an assembly update (package asm)
		u := UpdateOf(p.Model.Optimizer, p.Model.DType, UpdateChunk)
		pl.Update = &u
	}
	pl.SplitStep = p.Training() && StepFlopsPerParam(p.Model) >= MinSplitStepFlops
	pl.Elems = selectRows(p)
	labelKernels(p, pl)
	p.Plan = pl
}

// StepFlopsPerParam is the FLOPs of a Step's forward and backward passes
// over the batch per parameter; a model without parameters has none.
func StepFlopsPerParam(m *spec.Model) int64 {
	t := m.Total()
	if t.Params == 0 {
		return 0
	}
	return (t.Forward + t.Backward) * int64(m.Batch) / t.Params
}

// StraightLine reports whether product k stays in Go without assembly:
// straight-line code, or loops over the batch rows when it is Batched.
func (pl *Plan) StraightLine(k Matmul) bool { return k.Flops()/2 <= int64(pl.UnrollMax) }

// Batched reports whether kernel k takes a row range (Program.Kernels).
func (pl *Plan) Batched(k Matmul) bool {
	for _, mk := range pl.Matmuls {
		if mk.Key() == k.Key() {
			return mk.Batched
		}
	}
	return false
}
