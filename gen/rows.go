package gen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
)

// from is the slice of a view from element i on: buf[base+i:].
func (e *emitter) from(v ir.View, i ix) *jen.Statement {
	lo := e.base(v).add(i)
	if lo.isConst() && lo.k == 0 {
		return jen.Id(local(v.Buf)).Index(jen.Empty(), jen.Empty())
	}
	return jen.Id(local(v.Buf)).Index(lo.code(), jen.Empty())
}

// span is the n elements of a view from element i on: buf[base+i:][:n], or
// buf[:n] from the start.
func (e *emitter) span(v ir.View, i ix, n int) *jen.Statement {
	lo := e.base(v).add(i)
	if lo.isConst() && lo.k == 0 {
		return jen.Id(local(v.Buf)).Index(jen.Empty(), jen.Lit(n))
	}
	return e.from(v, i).Index(jen.Empty(), jen.Lit(n))
}

// Row operations: rows shorter than minRow stay element by element; up to
// maxRowOps row operations of a nest are emitted straight-line.
const (
	minRow    = 4
	maxRowOps = 16
)

// rowNest emits body, one row operation, for every index of the nest dims:
// straight-line when there are few, else plain loops (a row operation is
// already a loop, so there is nothing to gain by unrolling).
func (e *emitter) rowNest(vars []string, dims []int, body func(idx []ix) jen.Code) []jen.Code {
	if product(dims) <= maxRowOps {
		var out []jen.Code
		for k := 0; k < product(dims); k++ {
			idx := make([]ix, len(dims))
			for d, rest := len(dims)-1, k; d >= 0; d-- {
				idx[d], rest = lit(rest%dims[d]), rest/dims[d]
			}
			out = append(out, body(idx))
		}
		return out
	}
	return e.rowLoops(vars, dims, nil, body)
}

func (e *emitter) rowLoops(vars []string, dims []int, pre []ix, body func([]ix) jen.Code) []jen.Code {
	if len(dims) == 0 {
		return []jen.Code{body(pre)}
	}
	with := func(i ix) []ix { return append(append([]ix(nil), pre...), i) }
	if dims[0] == 1 {
		return e.rowLoops(vars[1:], dims[1:], with(lit(0)), body)
	}
	return []jen.Code{forLoop(vars[0], 0, dims[0], 1, e.rowLoops(vars[1:], dims[1:], with(vr(vars[0])), body))}
}

// rowPtr is the n elements of a view from element i on, as a *[n]T: a
// constant-length row that moves as a block, without per-element index
// arithmetic or bounds checks.
func (e *emitter) rowPtr(v ir.View, i ix, n int) *jen.Statement {
	return jen.Parens(jen.Op("*").Add(e.arr(n))).Call(e.from(v, i))
}

// rowHelperDefs are the helpers that work on whole rows (slices); the
// compiler inlines the short ones.
var rowHelperDefs = map[string]func(e *emitter) (doc string, params []jen.Code, result jen.Code, body []jen.Code){
	"addRow": func(e *emitter) (string, []jen.Code, jen.Code, []jen.Code) {
		return "addRow is dst += src, element by element, over len(dst).",
			[]jen.Code{jen.List(jen.Id("dst"), jen.Id("src")).Index().Add(e.T())}, jen.Null(), []jen.Code{
				jen.Id("src").Op("=").Id("src").Index(jen.Empty(), jen.Len(jen.Id("dst"))),
				jen.For(jen.List(jen.Id("i"), jen.Id("v")).Op(":=").Range().Id("src")).Block(
					jen.Id("dst").Index(jen.Id("i")).Op("+=").Id("v")),
			}
	},
	"addConst": func(e *emitter) (string, []jen.Code, jen.Code, []jen.Code) {
		return "addConst is v += c, element by element.",
			[]jen.Code{jen.Id("v").Index().Add(e.T()), jen.Id("c").Add(e.T())}, jen.Null(), []jen.Code{
				jen.For(jen.Id("i").Op(":=").Range().Id("v")).Block(jen.Id("v").Index(jen.Id("i")).Op("+=").Id("c")),
			}
	},
	"addRowTo": func(e *emitter) (string, []jen.Code, jen.Code, []jen.Code) {
		return "addRowTo is dst = x + y, element by element, over len(dst).",
			[]jen.Code{jen.List(jen.Id("dst"), jen.Id("x"), jen.Id("y")).Index().Add(e.T())}, jen.Null(), []jen.Code{
				jen.List(jen.Id("x"), jen.Id("y")).Op("=").List(jen.Id("x").Index(jen.Empty(), jen.Len(jen.Id("dst"))), jen.Id("y").Index(jen.Empty(), jen.Len(jen.Id("dst")))),
				jen.For(jen.Id("i").Op(":=").Range().Id("dst")).Block(
					jen.Id("dst").Index(jen.Id("i")).Op("=").Id("x").Index(jen.Id("i")).Op("+").Id("y").Index(jen.Id("i"))),
			}
	},
	"addConstTo": func(e *emitter) (string, []jen.Code, jen.Code, []jen.Code) {
		return "addConstTo is dst = src + c, element by element, over len(dst).",
			[]jen.Code{jen.List(jen.Id("dst"), jen.Id("src")).Index().Add(e.T()), jen.Id("c").Add(e.T())}, jen.Null(), []jen.Code{
				jen.Id("src").Op("=").Id("src").Index(jen.Empty(), jen.Len(jen.Id("dst"))),
				jen.For(jen.List(jen.Id("i"), jen.Id("v")).Op(":=").Range().Id("src")).Block(
					jen.Id("dst").Index(jen.Id("i")).Op("=").Id("v").Op("+").Id("c")),
			}
	},
	"sumSqDev": sumSqDevDef,
	"convSpan": convSpanDef,
	"sum": func(e *emitter) (string, []jen.Code, jen.Code, []jen.Code) {
		s := []jen.Code{jen.Id("s0"), jen.Id("s1"), jen.Id("s2"), jen.Id("s3")}
		var adds []jen.Code
		for k := range s {
			adds = append(adds, jen.Id(fmt.Sprintf("s%d", k)).Op("+=").Id("v").Index(jen.Lit(k)))
		}
		return "sum is Σ v, in four interleaved partial sums so that the adds do not wait on each other.",
			[]jen.Code{jen.Id("v").Index().Add(e.T())}, e.T(), []jen.Code{
				jen.Var().List(s...).Add(e.T()),
				jen.For(jen.Empty(), jen.Len(jen.Id("v")).Op(">=").Lit(4), jen.Id("v").Op("=").Id("v").Index(jen.Lit(4), jen.Empty())).Block(adds...),
				jen.For(jen.List(jen.Id("_"), jen.Id("x")).Op(":=").Range().Id("v")).Block(jen.Id("s0").Op("+=").Id("x")),
				jen.Return(jen.Parens(jen.Id("s0").Op("+").Id("s1")).Op("+").Parens(jen.Id("s2").Op("+").Id("s3"))),
			}
	},
}

// sumSqDev is Σ (v − m)², the sum of squares of a row about m.
func sumSqDevDef(e *emitter) (string, []jen.Code, jen.Code, []jen.Code) {
	d := func(k int) *jen.Statement {
		return jen.Parens(jen.Float64().Call(jen.Id("v").Index(jen.Lit(k)).Op("-").Id("m")))
	}
	s := []jen.Code{jen.Id("s0"), jen.Id("s1"), jen.Id("s2"), jen.Id("s3")}
	var adds []jen.Code
	for k := range s {
		adds = append(adds, jen.Id(fmt.Sprintf("s%d", k)).Op("+=").Add(d(k)).Op("*").Add(d(k)))
	}
	x := jen.Parens(jen.Float64().Call(jen.Id("x").Op("-").Id("m")))
	return "sumSqDev is Σ (v − m)², in four interleaved partial sums, in float64 so that no square overflows.",
		[]jen.Code{jen.Id("v").Index().Add(e.T()), jen.Id("m").Add(e.T())}, jen.Float64(), []jen.Code{
			jen.Var().List(s...).Float64(),
			jen.For(jen.Empty(), jen.Len(jen.Id("v")).Op(">=").Lit(4), jen.Id("v").Op("=").Id("v").Index(jen.Lit(4), jen.Empty())).Block(adds...),
			jen.For(jen.List(jen.Id("_"), jen.Id("x")).Op(":=").Range().Id("v")).Block(jen.Id("s0").Op("+=").Add(x).Op("*").Add(x.Clone())),
			jen.Return(jen.Parens(jen.Id("s0").Op("+").Id("s1")).Op("+").Parens(jen.Id("s2").Op("+").Id("s3"))),
		}
}

// callRow calls a row helper and marks it for emission.
func (e *emitter) callRow(name string, args ...jen.Code) *jen.Statement {
	e.rowHelpers[name] = true
	return jen.Id(name).Call(args...)
}

// emitRowHelpers appends the row helpers used so far, sorted by name.
func (e *emitter) emitRowHelpers(f *jen.File) {
	for _, name := range sortedKeys(e.rowHelpers) {
		doc, params, result, body := rowHelperDefs[name](e)
		f.Comment(doc)
		f.Func().Id(name).Params(params...).Add(result).Block(body...)
		f.Line()
	}
}

// convSpanDef is the range of output positions o whose input position
// o·s + k − p lies in [0, n), for kernel offset k (im2colLoops).
func convSpanDef(e *emitter) (string, []jen.Code, jen.Code, []jen.Code) {
	return "convSpan is the range [lo, hi) of output positions o < nout with 0 ≤ o·s + k − p < n (lo ≥ hi: none).",
		[]jen.Code{jen.List(jen.Id("k"), jen.Id("s"), jen.Id("p"), jen.Id("n"), jen.Id("nout")).Int()},
		jen.Params(jen.List(jen.Id("lo"), jen.Id("hi")).Int()), []jen.Code{
			jen.If(jen.Id("k").Op("<").Id("p")).Block(jen.Id("lo").Op("=").Parens(jen.Id("p").Op("-").Id("k").Op("+").Id("s").Op("-").Lit(1)).Op("/").Id("s")),
			jen.If(jen.Id("last").Op(":=").Id("n").Op("-").Lit(1).Op("+").Id("p").Op("-").Id("k"), jen.Id("last").Op(">=").Lit(0)).Block(
				jen.Id("hi").Op("=").Min(jen.Id("nout"), jen.Id("last").Op("/").Id("s").Op("+").Lit(1))),
			jen.Return(),
		}
}
