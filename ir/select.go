package ir

// Thresholds of kernel selection, measured on the machines of the speed
// reports (README, Speed): below them a call into assembly and its
// dispatch cost about as much as the work.
const (
	// MinSIMDRow is the shortest row an elementwise kernel (bias add,
	// relu, col2im add) runs in assembly.
	MinSIMDRow = 32
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
	pl.Elems = selectRows(p)
	labelKernels(p, pl)
	p.Plan = pl
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
