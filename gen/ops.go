package gen

import (
	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
)

// op emits one op; each kind's emitter is listed here.
func (e *emitter) op(op *ir.Op) []jen.Code {
	switch op.Kind {
	case ir.OpMatmul:
		return []jen.Code{e.matmulCall(op)}
	case ir.OpZero:
		return []jen.Code{e.zero(op.Writes[0])}
	case ir.OpCopy:
		return e.elementwise(op, func(i ix) jen.Code { return e.at(op.Writes[0], i).Op("=").Add(e.at(op.Reads[0], i)) })
	case ir.OpAdd:
		if c := e.wholeCall(ir.Add, op.Writes[0], op.Reads...); c != nil {
			return []jen.Code{c}
		}
		return e.elementwise(op, func(i ix) jen.Code {
			return e.at(op.Writes[0], i).Op("=").Add(e.at(op.Reads[0], i)).Op("+").Add(e.at(op.Reads[1], i))
		})
	case ir.OpAddTo:
		if c := e.wholeCall(ir.AddRow, op.Writes[0], op.Reads...); c != nil {
			return []jen.Code{c}
		}
		return e.elementwise(op, func(i ix) jen.Code { return e.at(op.Writes[0], i).Op("+=").Add(e.at(op.Reads[0], i)) })
	case ir.OpBias, ir.OpBiasGrad:
		return e.bias(op)
	case ir.OpBiasRelu:
		return e.biasRelu(op)
	case ir.OpAct:
		if c := e.actCall(op); c != nil {
			return []jen.Code{c}
		}
		return e.elementwise(op, func(i ix) jen.Code { return e.at(op.Writes[0], i).Op("=").Add(e.act(op, e.at(op.Reads[0], i))) })
	case ir.OpActGrad:
		if c := e.actCall(op); c != nil {
			return []jen.Code{c}
		}
		return e.elementwise(op, func(i ix) jen.Code { return e.actGrad(op, i) })
	case ir.OpIm2col, ir.OpCol2im:
		return e.im2col(op)
	case ir.OpPad:
		return e.pad(op)
	case ir.OpLayerNorm:
		return e.layerNorm(op)
	case ir.OpLNGrad:
		return e.layerNormGrad(op)
	case ir.OpLoss:
		return e.loss(op)
	case ir.OpLossGrad:
		return e.lossGrad(op)
	case ir.OpPool:
		return e.pool(op)
	case ir.OpPoolGrad:
		return e.poolGrad(op)
	}
	panic("gen: no emitter for op " + op.Kind.String())
}

// addRowsCall is a dense bias gradient (OpBiasGrad of rows of Dims[1]) as
// one call of its AddRows kernel over the elements [from, to) of ∂J/∂z,
// or nil where the op is not one or there is no kernel.
func (e *emitter) addRowsCall(op *ir.Op, from, to jen.Code) jen.Code {
	d := op.Dims
	if op.Kind != ir.OpBiasGrad || d[2] != 1 {
		return nil
	}
	k, ok := e.kernel(ir.AddRows, d[1])
	if !ok {
		return nil
	}
	return jen.Id(k.Name()).Call(e.rowPtr(op.Writes[0], lit(0), d[1]), jen.Id(local(op.Reads[0].Buf)).Index(from, to))
}

// zero clears a view.
func (e *emitter) zero(v ir.View) jen.Code {
	return jen.Op("*").Add(e.arg(v)).Op("=").Add(e.arr(v.Len)).Values()
}

// elementwise emits stmt for every element of the op's destination.
func (e *emitter) elementwise(op *ir.Op, stmt func(i ix) jen.Code) []jen.Code {
	return e.nest([]string{"i"}, []int{op.Writes[0].Len}, func(idx []ix) []jen.Code {
		return []jen.Code{stmt(idx[0])}
	})
}

// convBiasGrad sums a convolution's gradient over the rows [lo, hi) and
// positions i into ∂b[c] (7.66): the examples' [c][i] rows added first,
// one SIMD row add k each, then one sum per channel, instead of a scalar
// sum per example and channel (6% of R4's Step, by its profile).
func (e *emitter) convBiasGrad(op *ir.Op, k ir.Elementwise) []jen.Code {
	d := op.Dims
	n := d[1] * d[2]
	body := []jen.Code{
		jen.Var().Id("rows").Add(e.arr(n)),
		forRange("b", lo, hi, []jen.Code{jen.Id(k.Name()).Call(jen.Op("&").Id("rows"), e.rowPtr(op.Reads[0], vr("b").times(n), n))}),
	}
	body = append(body, e.rowNest([]string{"c"}, d[1:2], func(x []ix) jen.Code {
		return e.at(op.Writes[0], x[0]).Op("=").Add(e.callRow("sum", jen.Id("rows").Index(jen.Add(x[0].times(d[2]).code()), jen.Empty()).Index(jen.Empty(), jen.Lit(d[2]))))
	})...)
	return []jen.Code{jen.Block(body...)}
}

// bias adds b[c] to every [r][c][i] (7.35), or sums the gradient over r and
// i into ∂b[c] (7.66). Rows of at least minRow elements go through row
// helpers: a conv output row [r][c] takes b[c] at once, a dense output row
// [r] takes all of b.
func (e *emitter) bias(op *ir.Op) []jen.Code {
	d := op.Dims
	var out []jen.Code
	if op.Kind == ir.OpBiasGrad && !e.zeroed {
		out = append(out, e.zero(op.Writes[0]))
	}
	if op.Kind == ir.OpBiasGrad && e.batch <= 1 {
		if c := e.addRowsCall(op, jen.Lit(op.Reads[0].Off), jen.Lit(op.Reads[0].Off+op.Reads[0].Len)); c != nil {
			return append(out, c)
		}
	}
	switch {
	case d[2] >= minRow:
		return append(out, e.rowNest([]string{"r", "c"}, d[:2], func(x []ix) jen.Code {
			k := x[0].times(d[1] * d[2]).add(x[1].times(d[2]))
			if op.Kind == ir.OpBias {
				return e.addConstCall(op.Writes[0], k, d[2], e.at(op.Reads[0], x[1]))
			}
			return e.at(op.Writes[0], x[1]).Op("+=").Add(e.callRow("sum", e.span(op.Reads[0], k, d[2])))
		})...)
	case d[2] == 1 && d[1] >= minRow:
		return append(out, e.rowNest([]string{"r"}, d[:1], func(x []ix) jen.Code {
			if op.Kind == ir.OpBias {
				return e.addRowCall(op.Writes[0], x[0].times(d[1]), op.Reads[0], lit(0), d[1])
			}
			return e.addRowCall(op.Writes[0], lit(0), op.Reads[0], x[0].times(d[1]), d[1])
		})...)
	}
	return append(out, e.nest([]string{"r", "c", "i"}, d, func(x []ix) []jen.Code {
		k := x[0].times(d[1] * d[2]).add(x[1].times(d[2])).add(x[2])
		if op.Kind == ir.OpBias {
			return []jen.Code{e.at(op.Writes[0], k).Op("+=").Add(e.at(op.Reads[0], x[1]))}
		}
		return []jen.Code{e.at(op.Writes[0], x[1]).Op("+=").Add(e.at(op.Reads[0], k))}
	})...)
}
