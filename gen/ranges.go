package gen

import (
	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
)

// Row ranges (ir/ranges.go): a ranged function's ops run over the rows
// [lo, hi) of the batch, once per example where ir.PerExample says so.

var (
	lo = jen.Id("lo")
	hi = jen.Id("hi")
)

// rangedOp emits op of a batched function over the rows [lo, hi).
func (e *emitter) rangedOp(op *ir.Op) []jen.Code {
	if ir.KeepsBatch(op.Kind) {
		return e.op(op)
	}
	if op.Kind == ir.OpBiasGrad && ir.ConvBiasGradRows(op.Dims, e.m.DType) {
		return e.convBiasGrad(op, e.useElem(ir.AddRow, op.Dims[1]*op.Dims[2]))
	}
	if op.Kind == ir.OpLayerNorm && ir.LNKernel(op.Dims[1], op.Reads[1].Len) {
		return e.layerNorm(op) // its kernel takes the rows
	}
	if op.Kind == ir.OpLNGrad && op.Writes[0].Buf != nil && ir.LNKernel(op.Dims[1], op.Writes[1].Len) {
		return e.layerNormGrad(op) // so does the backward kernel
	}
	if op.Kind == ir.OpBiasGrad {
		n := op.Dims[1]
		if c := e.addRowsCall(op, lo.Clone().Op("*").Lit(n), hi.Clone().Op("*").Lit(n)); c != nil {
			return []jen.Code{e.zero(op.Writes[0]), c} // a dense bias gradient: its kernel takes the rows
		}
	}
	if c := e.rangeCall(op); c != nil {
		return []jen.Code{c}
	}
	var out []jen.Code
	switch op.Kind { // sums over the rows start from zero once, before the loop
	case ir.OpBiasGrad:
		out = append(out, e.zero(op.Writes[0]))
	case ir.OpLNGrad:
		out = append(out, e.zero(op.Writes[1]), e.zero(op.Writes[2]))
	}
	one := e.p.PerExample(op)
	e.batch, e.zeroed = e.p.Batch, true
	defer func() { e.batch, e.zeroed = 0, false }()
	return append(out, forRange("b", lo, hi, e.inLoop(func() []jen.Code { return e.op(one) })))
}

// rangeCall is op over the rows [lo, hi) in one call of its range kernel
// (ir.RangeKernel), or nil where it has none.
func (e *emitter) rangeCall(op *ir.Op) jen.Code {
	want, ok := e.p.RangeKernel(op)
	if !ok {
		return nil
	}
	k := e.useElemOf(want)
	span := e.rowSpans(0)
	var args []jen.Code
	params := k.PtrParams()
	for i, v := range ir.RangeViews(op) {
		if k.RangeFixed(params[i]) {
			args = append(args, e.rowPtr(v, lit(0), k.N)) // the fixed row: a layer's bias
			continue
		}
		args = append(args, span(v, k.N))
	}
	if k.HasConst() { // leaky relu's γ
		args = append(args, flit(op.Act.Gamma))
	}
	return jen.Id(k.Name()).Call(args...)
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

// rowSpans returns the slicer of a kernel that takes a run of rows: a
// view's rows [lo, hi) in a batched function, else all rows, n elements a
// row. The view must start its buffer.
func (e *emitter) rowSpans(rows int) func(v ir.View, n int) jen.Code {
	from, to := jen.Lit(0), jen.Lit(rows)
	if e.ranged {
		from, to = lo, hi
	}
	return func(v ir.View, n int) jen.Code {
		if v.Off != 0 || v.PerExample {
			panic("gen: a run of rows of a view that does not start its buffer")
		}
		if n == 1 {
			return jen.Id(local(v.Buf)).Index(from, to)
		}
		return jen.Id(local(v.Buf)).Index(from.Clone().Op("*").Lit(n), to.Clone().Op("*").Lit(n))
	}
}
