package gen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

// Elementwise kernels are emitted per length, as the SGD updates are: the
// generated code only ever adds rows of a few fixed lengths, and a compiled-in
// length leaves the kernel no count to test or tail mask to compute. Which
// op runs which is ir.SelectKernels' decision (ir/rowkernels.go).

// addRowCall is dst[di:][:n] += src[si:][:n].
func (e *emitter) addRowCall(dst ir.View, di ix, src ir.View, si ix, n int) jen.Code {
	k, ok := e.kernel(ir.AddRow, n)
	if !ok {
		return e.callRow("addRow", e.span(dst, di, n), e.from(src, si))
	}
	return jen.Id(k.Name()).Call(e.rowPtr(dst, di, n), e.rowPtr(src, si, n))
}

// addConstCall is v[vi:][:n] += c.
func (e *emitter) addConstCall(v ir.View, vi ix, n int, c jen.Code) jen.Code {
	k, ok := e.kernel(ir.AddConst, n)
	if !ok {
		return e.callRow("addConst", e.span(v, vi, n), c)
	}
	return jen.Id(k.Name()).Call(e.rowPtr(v, vi, n), c)
}

// actCall is an activation op (OpAct or OpActGrad) as one kernel call over
// its whole, contiguous destination, or nil where there is no kernel
// (ir.ActKernels) or the tensor is short.
func (e *emitter) actCall(op *ir.Op) jen.Code {
	ks, ok := ir.ActKernels[op.Act.Kind]
	if !ok {
		return nil
	}
	kind := ks[0]
	if op.Kind == ir.OpActGrad {
		kind = ks[1]
	}
	var c jen.Code // leaky relu's γ
	if op.Act.Kind == spec.LeakyReLU {
		c = flit(op.Act.Gamma)
	}
	return e.rowCall(kind, op.Writes[0], op.Reads, c)
}

// wholeCall is one kernel call over whole views, or nil if they are short.
func (e *emitter) wholeCall(kind ir.ElemOp, dst ir.View, srcs ...ir.View) jen.Code {
	return e.rowCall(kind, dst, srcs, nil)
}

// rowCall is wholeCall with the kernel's constant c, if it takes one.
func (e *emitter) rowCall(kind ir.ElemOp, dst ir.View, srcs []ir.View, c jen.Code) jen.Code {
	n := dst.Len
	k, ok := e.kernel(kind, n)
	if !ok {
		return nil
	}
	args := []jen.Code{e.rowPtr(dst, lit(0), n)}
	for _, r := range srcs {
		args = append(args, e.rowPtr(r, lit(0), n))
	}
	if c != nil {
		args = append(args, c)
	}
	return jen.Id(k.Name()).Call(args...)
}

// biasRelu is a = max(z + b, 0) (7.35, 7.20), in place on the product in a
// as ir.Fuse lays it out (z is then a; any z works): one kernel call per
// row where the bias rows are long enough, else a = z + b in Go and the
// relu kernel over a in place (one loop where a is short too).
func (e *emitter) biasRelu(op *ir.Op) []jen.Code {
	d, a, z, b := op.Dims, op.Writes[0], op.Reads[0], op.Reads[1]
	if d[0] == 1 { // one example's channels in one call
		if k, ok := e.kernelOf(ir.Elementwise{Op: ir.AddChanRelu, DType: e.m.DType, N: d[2], Chans: d[1]}); ok {
			n := d[1] * d[2]
			return []jen.Code{jen.Id(k.Name()).Call(e.rowPtr(z, lit(0), n), e.rowPtr(a, lit(0), n), e.rowPtr(b, lit(0), d[1]))}
		}
	}
	if k, ok := e.kernel(ir.AddConstRelu, d[2]); ok {
		return e.rowNest([]string{"r", "c"}, d[:2], func(x []ix) jen.Code {
			i := x[0].times(d[1] * d[2]).add(x[1].times(d[2]))
			return jen.Id(k.Name()).Call(e.rowPtr(z, i, d[2]), e.rowPtr(a, i, d[2]), e.at(b, x[1]))
		})
	}
	if d[2] == 1 {
		if k, ok := e.kernel(ir.AddRowRelu, d[1]); ok {
			return e.rowNest([]string{"r"}, d[:1], func(x []ix) jen.Code {
				i := x[0].times(d[1])
				return jen.Id(k.Name()).Call(e.rowPtr(z, i, d[1]), e.rowPtr(b, lit(0), d[1]), e.rowPtr(a, i, d[1]))
			})
		}
	}
	relu := e.wholeCall(ir.Relu, a, a)
	if relu == nil {
		return e.nest([]string{"r", "c", "i"}, d, func(x []ix) []jen.Code {
			k := x[0].times(d[1] * d[2]).add(x[1].times(d[2])).add(x[2])
			return []jen.Code{e.at(a, k).Op("=").Max(e.at(z, k).Op("+").Add(e.at(b, x[1])), jen.Lit(0))}
		})
	}
	if d[2] == 1 { // a dense layer's rows: a = z + b row by row
		return append(e.rowNest([]string{"r"}, d[:1], func(x []ix) jen.Code {
			k := x[0].times(d[1])
			return e.callRow("addRowTo", e.span(a, k, d[1]), e.from(z, k), e.from(b, lit(0)))
		}), relu)
	}
	return append(e.rowNest([]string{"r", "c"}, d[:2], func(x []ix) jen.Code {
		k := x[0].times(d[1] * d[2]).add(x[1].times(d[2]))
		return e.callRow("addConstTo", e.span(a, k, d[2]), e.from(z, k), e.at(b, x[1]))
	}), relu)
}

// kernel is the elementwise kernel o over n elements if ir.SelectKernels
// chose it (ir/rowkernels.go decides; the printer follows), marking it
// called.
func (e *emitter) kernel(o ir.ElemOp, n int) (ir.Elementwise, bool) {
	return e.kernelOf(ir.Elementwise{Op: o, DType: e.m.DType, N: n})
}

// kernelOf is kernel for a kernel given whole (AddChanRelu's channels).
func (e *emitter) kernelOf(want ir.Elementwise) (ir.Elementwise, bool) {
	k, ok := e.p.Plan.ElemOf(want)
	if ok {
		e.elemsUsed[k.Name()] = true
	}
	return k, ok
}

// useElem is kernel for a call the plan must have: a missing one is a
// disagreement between ir.SelectKernels and the printer.
func (e *emitter) useElem(o ir.ElemOp, n int) ir.Elementwise {
	return e.useElemOf(ir.Elementwise{Op: o, DType: e.m.DType, N: n})
}

// useElemOf is useElem for a kernel given whole.
func (e *emitter) useElemOf(want ir.Elementwise) ir.Elementwise {
	k, ok := e.kernelOf(want)
	if !ok {
		panic("gen: " + k.Name() + " was not selected by ir.SelectKernels")
	}
	return k
}

// elemKernels lists the elementwise kernels ir.SelectKernels chose.
func (e *emitter) elemKernels() []ir.Elementwise { return e.p.Plan.Elems }

// unusedElems names the chosen kernels the emitted code did not call: a
// disagreement between ir.SelectKernels and the printer.
func (e *emitter) unusedElems() []string {
	var names []string
	for _, k := range e.p.Plan.Elems {
		if !e.elemsUsed[k.Name()] {
			names = append(names, k.Name())
		}
	}
	return names
}

// emitElemGenerics emits each elementwise kernel's Generic twin: the loop
// of its doc comment.
func (e *emitter) emitElemGenerics(f *jen.File) {
	ks := e.elemKernels()
	if slices.ContainsFunc(ks, ir.Elementwise.UsesExp) {
		e.emitExp(f, e.m.DType)
	}
	if slices.ContainsFunc(ks, func(k ir.Elementwise) bool { return k.Op == ir.Tanh }) {
		f.Op(ir.TanhSource(e.m.DType))
	}
	for _, k := range e.elemKernels() {
		if k.Op == ir.LNForward { // its Generic takes a float64 square root
			f.Comment("sqrt64 is √x, correctly rounded.")
			f.Func().Id("sqrt64").Params(jen.Id("x").Float64()).Float64().Block(jen.Return(jen.Qual("math", "Sqrt").Call(jen.Id("x"))))
			f.Line()
			break
		}
	}
	for _, k := range e.elemKernels() {
		loop := k.ReferenceLoop()
		what := "the row operation"
		switch {
		case k.Op == ir.LNForward:
			what = "the row operation, for each row of sigma,"
		case k.Range:
			what = "the row operation, for each whole row of " + k.PtrParams()[0] + ","
		}
		comment(f, fmt.Sprintf("%sGeneric is %s\n\n%s", k.Name(), what, strings.Join(loop, "\n")))
		params := strings.TrimSuffix(strings.TrimPrefix(k.Signature(), "func("), ")")
		f.Func().Id(k.Name() + "Generic").Params(jen.Op(params)).Block(jen.Op(strings.Join(loop, "\n")))
		f.Line()
	}
}

// emitExp emits ir.ExpName(t), eˣ as the sigmoid and tanh kernels compute
// it (ir.ExpBody), for their Generic twins.
func (e *emitter) emitExp(f *jen.File, t spec.DType) {
	c := ir.ExpConstsOf(t)
	bits, from := ir.ExpBits(t)
	T := jen.Id(t.String())
	comment(f, ir.ExpDoc(t))
	f.Func().Id(ir.ExpName(t)).Params(jen.Id("x").Add(T)).Add(T).Block(
		jen.Op(strings.Join(ir.ExpBody(t), "\n")),
		jen.Return(jen.Qual("math", from).Call(jen.Qual("math", bits).Call(jen.Id("p")).Op("+").Parens(
			jen.Qual("math", bits).Call(jen.Id("t")).Op("-").Qual("math", bits).Call(jen.Op(c.Lit(c.Magic, t)))).Op("<<").Lit(c.ExpShift)).Op("+").Id("z")))
	f.Line()
}
