package ir

import "github.com/nngen/nngen/spec"

// Which elementwise kernel each op runs, decided here for the printers as
// the matrix products' implementations are: gen calls exactly these (it
// fails on any other, and on any it did not call), asm emits them.

// ActKernels are the row kernels of the activations that have them, for
// the forward pass and the gradient (sigmoid's and tanh's gradients read
// a = σ(z), GradFromOutput); gelu and softplus stay in Go.
var ActKernels = map[spec.Kind][2]ElemOp{
	spec.ReLU:      {Relu, ReluGrad},
	spec.LeakyReLU: {LeakyRelu, LeakyReluGrad},
	spec.Sigmoid:   {Sigmoid, SigmoidGrad},
	spec.Tanh:      {Tanh, TanhGrad},
}

// MaxStackRow is the most bytes of the row a convolution's bias gradient
// sums its examples into, a local array: well under the size past which
// Go moves a local to the heap (128 KiB), which would allocate on every
// Backward.
const MaxStackRow = 64 << 10

// ConvBiasGradRows reports whether a convolution's bias gradient of dims d
// (rows, channels, positions) in a ranged function adds its examples' rows
// with the AddRow kernel of d[1]·d[2] elements into a local row, then sums
// it per channel (gen's convBiasGrad); otherwise it sums in Go. gen asks
// this, not whether such a kernel exists: another op may have selected it.
func ConvBiasGradRows(d []int, dt spec.DType) bool {
	n := d[1] * d[2]
	return d[2] > 1 && n >= MinSIMDRow && n*dt.Size() <= MaxStackRow
}

// ReduceChunk is the row length of the SIMD add that SetThreads' reduction
// runs over the threads' gradients (the rest of a range in Go).
const ReduceChunk = 256

// LNKernel reports whether a layer norm of F features runs the assembly
// row kernels: γ and β per feature (gammaLen = F) and F a multiple of
// LNChunk, so that their partial sums have no partial vector.
func LNKernel(F, gammaLen int) bool { return gammaLen == F && LNRowFits(F) }

// rowKernels are the elementwise kernels op runs: rows of at least
// MinSIMDRow elements.
func rowKernels(op *Op, dt spec.DType) []Elementwise {
	k := func(o ElemOp, n int) []Elementwise {
		if n < MinSIMDRow {
			return nil
		}
		return []Elementwise{{Op: o, DType: dt, N: n}}
	}
	d := op.Dims
	switch op.Kind {
	case OpAdd:
		return k(Add, op.Writes[0].Len)
	case OpAddTo:
		return k(AddRow, op.Writes[0].Len)
	case OpAct, OpActGrad:
		ks, ok := ActKernels[op.Act.Kind]
		switch {
		case !ok:
			return nil
		case op.Kind == OpActGrad:
			return k(ks[1], op.Writes[0].Len)
		}
		return k(ks[0], op.Writes[0].Len)
	case OpBias: // a row of the inner dimension takes b[c]; a dense row all of b
		if d[2] > 1 {
			return k(AddConst, d[2])
		}
		return k(AddRow, d[1])
	case OpBiasGrad: // dense rows summed into ∂b in one call; conv rows by opRowKernels
		if d[2] == 1 {
			return k(AddRows, d[1])
		}
	case OpBiasRelu:
		// A channel's row may be short when one call covers an example's
		// channels: a conv2d of a 16×4×4 input to 64 channels (16 outputs a
		// channel, batch 32) ran its ForwardBatch in 79 µs so, in 102 µs as
		// a = z + b by rows in Go then the relu kernel (AVX-512, medians of 7).
		const minChanRow = 8
		switch {
		case d[0] == 1 && d[2] >= minChanRow && d[1]*d[2] >= MinSIMDRow: // an example's channels in one call
			return []Elementwise{{Op: AddChanRelu, DType: dt, N: d[2], Chans: d[1]}}
		case d[2] >= MinSIMDRow:
			return k(AddConstRelu, d[2])
		case d[2] == 1 && d[1] >= MinSIMDRow:
			return k(AddRowRelu, d[1])
		}
		return k(Relu, op.Writes[0].Len) // rows too short: a = z + b in Go, then relu over a in place
	case OpPad:
		return padKernel(op, dt)
	case OpLayerNorm:
		if LNKernel(d[1], op.Reads[1].Len) {
			return k(LNForward, d[1])
		}
	case OpLNGrad:
		if !LNKernel(d[1], op.Writes[1].Len) {
			return nil
		}
		if op.Writes[0].Buf == nil {
			return k(LNParamGrad, d[1])
		}
		return k(LNBackward, d[1])
	}
	return nil
}

// opRowKernels are the elementwise kernels op of block b of f runs: per
// example where a ranged function runs it so (ranges.go).
func (p *Program) opRowKernels(f *Func, b Block, op *Op) []Elementwise {
	if op.Kind == OpLoss && op.Loss == spec.CrossEntropy { // every example's row of logits (softmax.go)
		return []Elementwise{{Op: Softmax, DType: p.Model.DType, N: op.Reads[0].Len / p.Batch}}
	}
	if p.Ranged(f) && b.Batch <= 1 && !KeepsBatch(op.Kind) {
		if d := op.Dims; op.Kind == OpBiasGrad && d[2] > 1 { // a convolution's: the examples' rows added, then summed per channel
			if !ConvBiasGradRows(d, p.Model.DType) {
				return nil
			}
			return []Elementwise{{Op: AddRow, DType: p.Model.DType, N: d[1] * d[2]}}
		}
		if e, ok := p.RangeKernel(op); ok { // one call for the rows
			return []Elementwise{e}
		}
		if op.Kind != OpBiasGrad { // a dense layer's: its kernel takes the rows (AddRows)
			op = p.PerExample(op)
		}
	}
	return rowKernels(op, p.Model.DType)
}

// selectRows lists the elementwise kernels of p's ops and, for a model
// that trains on batches, SetThreads' reduction: each once, by name.
func selectRows(p *Program) []Elementwise {
	seen := map[string]Elementwise{}
	add := func(ks ...Elementwise) {
		for _, e := range ks {
			seen[e.Key()] = e
		}
	}
	for _, f := range p.Funcs() {
		for _, b := range f.Blocks {
			for _, op := range b.Ops {
				add(p.opRowKernels(f, b, op)...)
			}
		}
	}
	if p.Training() && p.Batch > 1 {
		add(Elementwise{Op: AddRow, DType: p.Model.DType, N: ReduceChunk})
	}
	return byName(seen)
}

// Elem returns the elementwise kernel o over n elements if SelectKernels
// chose it.
func (pl *Plan) Elem(o ElemOp, dt spec.DType, n int) (Elementwise, bool) {
	return pl.ElemOf(Elementwise{Op: o, DType: dt, N: n})
}

// ElemOf returns kernel e, named, if SelectKernels chose it.
func (pl *Plan) ElemOf(e Elementwise) (Elementwise, bool) {
	for _, k := range pl.Elems {
		if k.Key() == e.Key() {
			return k, true
		}
	}
	return e, false
}
