package ir

import "fmt"

// Row ranges: every batched function runs rows [lo, hi) of the batch, so
// that SetThreads' goroutines can share one batch, each on its own
// workspaces. Blocks that run once per example loop over the range; an op
// that spans the whole batch runs as the same op on one example inside
// that loop (PerExample), except the matrix products, whose kernels take
// the range (Matmul.Batched), the loss, which loops over its rows itself,
// and zeroing, which clears a parameter gradient whole (KeepsBatch).

// Ranged reports whether f runs a row range of the batch: every function
// but the batch-1 forward pass, when the batch has more than one row.
func (p *Program) Ranged(f *Func) bool { return f.Dir != Forward1 && p.Batch > 1 }

// KeepsBatch reports whether an op of kind k runs over its whole batch in
// a ranged function rather than once per example.
func KeepsBatch(k OpKind) bool {
	return k == OpMatmul || k == OpZero || k == OpLoss || k == OpLossGrad
}

// PerExample is op on one example: each view of the workspace or the
// input (which span the batch) becomes the example's part, moving with the
// example; the batch dimension of Dims and the batch's pooling planes
// become one example's.
func (p *Program) PerExample(op *Op) *Op {
	B := p.Batch
	one := *op
	views := func(vs []View) []View {
		out := make([]View, len(vs))
		for i, v := range vs {
			out[i] = v
			if v.Buf == nil || v.Buf.Kind != Work && v.Buf.Kind != Input {
				continue
			}
			if v.PerExample || v.Off != 0 || v.Len%B != 0 {
				panic(fmt.Sprintf("ir: %s: view of %s does not span the batch", op.Kind, v.Buf.Name))
			}
			out[i] = View{Buf: v.Buf, Len: v.Len / B, PerExample: true}
		}
		return out
	}
	one.Writes, one.Reads = views(op.Writes), views(op.Reads)
	if len(op.Dims) > 0 {
		if op.Dims[0] != B {
			panic(fmt.Sprintf("ir: %s: dims %v do not start with the batch", op.Kind, op.Dims))
		}
		one.Dims = append([]int{1}, op.Dims[1:]...)
	}
	if op.Pool != nil {
		pl := *op.Pool
		pl.Planes /= B
		one.Pool = &pl
	}
	return &one
}
