package gen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
)

// Row ranges: every batched function runs rows [lo, hi) of the batch, so
// that the goroutines of SetThreads can share one batch, each on its own
// workspaces. Blocks that run once per example loop b over the range
// (block); an op that spans the whole batch is emitted here as the same op
// on one example inside that loop, except the matrix products, whose
// kernels take the range (ir.Matmul.Batched), the loss, which loops over
// its rows itself, and zeroing, which clears a parameter gradient whole.

var (
	lo = jen.Id("lo")
	hi = jen.Id("hi")
)

// rangedOp emits op of a batched function over the rows [lo, hi).
func (e *emitter) rangedOp(op *ir.Op) []jen.Code {
	switch op.Kind {
	case ir.OpMatmul, ir.OpZero, ir.OpLoss, ir.OpLossGrad:
		return e.op(op)
	}
	var out []jen.Code
	switch op.Kind { // sums over the rows start from zero once, before the loop
	case ir.OpBiasGrad:
		out = append(out, e.zero(op.Writes[0]))
	case ir.OpLNGrad:
		out = append(out, e.zero(op.Writes[1]), e.zero(op.Writes[2]))
	}
	one := e.perExample(op)
	e.batch, e.zeroed = e.p.Batch, true
	defer func() { e.batch, e.zeroed = 0, false }()
	return append(out, forRange("b", lo, hi, e.inLoop(func() []jen.Code { return e.op(one) })))
}

// perExample is op on one example: each view of the workspace or the input
// (which span the batch) becomes the example's part, moving with b; the
// batch dimension of Dims and the batch's pooling planes become one
// example's.
func (e *emitter) perExample(op *ir.Op) *ir.Op {
	B := e.p.Batch
	one := *op
	views := func(vs []ir.View) []ir.View {
		out := make([]ir.View, len(vs))
		for i, v := range vs {
			out[i] = v
			if v.Buf == nil || v.Buf.Kind != ir.Work && v.Buf.Kind != ir.Input {
				continue
			}
			if v.PerExample || v.Off != 0 || v.Len%B != 0 {
				panic(fmt.Sprintf("gen: %s: view of %s does not span the batch", op.Kind, v.Buf.Name))
			}
			out[i] = ir.View{Buf: v.Buf, Len: v.Len / B, PerExample: true}
		}
		return out
	}
	one.Writes, one.Reads = views(op.Writes), views(op.Reads)
	if len(op.Dims) > 0 {
		if op.Dims[0] != B {
			panic(fmt.Sprintf("gen: %s: dims %v do not start with the batch", op.Kind, op.Dims))
		}
		one.Dims = append([]int{1}, op.Dims[1:]...)
	}
	if op.Pool != nil {
		p := *op.Pool
		p.Planes /= B
		one.Pool = &p
	}
	return &one
}

// matmulCall calls a product's kernel; a kernel that takes a row range
// gets the function's rows for a batched product, else all of them.
func (e *emitter) matmulCall(op *ir.Op) jen.Code {
	k := op.Matmul
	args := []jen.Code{e.arg(op.Writes[0]), e.arg(op.Reads[0]), e.arg(op.Reads[1])}
	switch {
	case k.Batched && e.ranged:
		args = append(args, lo, hi)
	case e.p.Plan.Batched(k):
		args = append(args, jen.Lit(0), jen.Lit(k.Rows()))
	}
	return jen.Id(k.Name()).Call(args...)
}

// batchRows emits body for every row r of the batch: rows [lo, hi) in a
// loop in a batched function, else as rows does.
func (e *emitter) batchRows(n, work int, body func(r ix) []jen.Code) []jen.Code {
	if e.ranged {
		return []jen.Code{forRange("r", lo, hi, e.inLoop(func() []jen.Code { return body(vr("r")) }))}
	}
	return e.rows("r", n, work, body)
}
