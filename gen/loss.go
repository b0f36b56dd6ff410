package gen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

// targetArg is the type of the loss functions' y: the targets, flattened
// for mse.
func (e *emitter) targetArg() *jen.Statement {
	switch e.m.Loss {
	case spec.CrossEntropy:
		return jen.Index(jen.Lit(e.m.Batch)).Int32()
	case spec.Logistic:
		return e.arr(e.m.Batch)
	}
	return e.arr(e.m.Batch * e.m.Output.Size())
}

// y is target element i.
func y(i ix) *jen.Statement { return jen.Id("y").Index(i.code()) }

// loss stores J, the batch mean (7.2) of the examples' losses, in W0, and
// returns it in float64 (of the function's rows of the batch only). It
// sums each example's loss divided by B, in float64 whatever T is, so that
// J is finite whenever the mean fits, even where the sum or one example's
// difference would not.
func (e *emitter) loss(op *ir.Op) []jen.Code {
	h, B, K := op.Reads[0], e.m.Batch, e.m.Output.Size()
	body := []jen.Code{jen.Id("j").Op(":=").Float64().Call(jen.Lit(0))}
	f64 := func(c jen.Code) *jen.Statement { return jen.Float64().Call(c) }
	mean := func(c *jen.Statement) *jen.Statement { // c / B
		if B == 1 {
			return c
		}
		return jen.Parens(c).Op("/").Lit(B)
	}
	switch op.Loss {
	case spec.MSE: // ½‖h − y‖² (7.1)
		body = append(body, e.lossElems(K, func(i ix) []jen.Code {
			return []jen.Code{jen.Block(
				jen.Id("d").Op(":=").Add(f64(e.at(h, i))).Op("-").Add(f64(y(i))),
				jen.Id("j").Op("+=").Add(mean(jen.Id("d").Op("*").Id("d"))))}
		})...)
		body = append(body, jen.Id("j").Op("/=").Lit(2))
	case spec.Logistic: // (7.4)
		body = append(body, e.lossElems(1, func(r ix) []jen.Code {
			return []jen.Code{checkLabel(r), jen.Id("j").Op("+=").Add(mean(f64(e.call("logisticLoss", e.at(h, r), y(r)))))}
		})...)
	case spec.CrossEntropy: // log Σ exp t − t_y (7.6)
		scale, exps := op.Writes[1], op.Writes[2]
		rowsOf := e.rowSpans(B)
		mx := ir.View{Buf: &ir.Buffer{Name: "mx"}, Len: B} // a local array: each row's max t
		body = append(body, jen.Var().Id("mx").Add(e.arr(B)),
			jen.Id(e.useElem(ir.Softmax, K).Name()).Call(rowsOf(exps, K), rowsOf(h, K), rowsOf(mx, 1), rowsOf(scale, 1)))
		body = append(body, e.batchRows(B, 2*K, func(r ix) []jen.Code {
			// log Σ, then lossGradient's scale of the exponentials: 1/(B·Σ)
			return []jen.Code{checkClass(r, K),
				jen.Id("sum").Op(":=").Add(e.at(scale, r)),
				jen.Id("lse").Op(":=").Add(e.at(mx, r)).Op("+").Add(e.math("Log", jen.Id("sum"))),
				e.at(scale, r).Op("=").Add(flit(1 / float64(B))).Op("/").Id("sum"),
				jen.Id("j").Op("+=").Add(mean(f64(jen.Id("lse")).Op("-").Add(f64(e.atClass(h, r, K)))))}
		})...)
	}
	// J of the rows is returned in float64, for the threads of SetThreads to add up.
	return append(body, e.at(op.Writes[0], lit(0)).Op("=").Add(e.toT(jen.Id("j"))), jen.Return(jen.Id("j")))
}

// lossElems emits body for the n elements of every example's output, with
// their index in the batch: rows [lo, hi) in a batched function, else all
// of them in one nest.
func (e *emitter) lossElems(n int, body func(i ix) []jen.Code) []jen.Code {
	if !e.ranged {
		return e.nest([]string{"i"}, []int{e.m.Batch * n}, func(i []ix) []jen.Code { return body(i[0]) })
	}
	return e.batchRows(e.m.Batch, n, func(r ix) []jen.Code {
		if n == 1 {
			return body(r)
		}
		return e.nest([]string{"i"}, []int{n}, func(i []ix) []jen.Code { return body(r.times(n).add(i[0])) })
	})
}

// checkLabel panics on a logistic target outside [0, 1] (or NaN): the loss
// would be negative or meaningless. Loss and Backward both go through here.
func checkLabel(r ix) jen.Code {
	return jen.If(jen.Op("!").Parens(y(r).Op(">=").Lit(0).Op("&&").Add(y(r)).Op("<=").Lit(1))).Block(jen.Panic(jen.Qual("fmt", "Sprintf").Call(
		jen.Lit("logistic: target %v of example %d is not in [0, 1]"), y(r), r.code())))
}

// checkClass panics on a class index outside [0, K): it would otherwise
// read another example's logits. Loss and Backward both go through here.
func checkClass(r ix, K int) jen.Code {
	return jen.If(jen.Id("uint32").Call(y(r)).Op(">=").Lit(K)).Block(jen.Panic(jen.Qual("fmt", "Sprintf").Call(
		jen.Lit(fmt.Sprintf("crossentropy: target %%d of example %%d is not a class in [0, %d)", K)), y(r), r.code())))
}

// atClass is v[r·K + int(y[r])], the entry of example r's class.
func (e *emitter) atClass(v ir.View, r ix, K int) *jen.Statement {
	return jen.Id(local(v.Buf)).Index(e.base(v).add(r.times(K)).code().Op("+").Int().Call(y(r)))
}

// lossGrad writes ∂J/∂h: the per-example gradient scaled by 1/B (7.70), (7.71).
func (e *emitter) lossGrad(op *ir.Op) []jen.Code {
	h, g, B, K := op.Reads[0], op.Writes[0], e.m.Batch, e.m.Output.Size()
	inv := flit(1 / float64(B))
	scaled := func(d *jen.Statement) *jen.Statement { // d/B, as the reference: d·(1/B)
		if B == 1 {
			return d
		}
		return jen.Parens(d).Op("*").Add(inv)
	}
	switch op.Loss {
	case spec.MSE:
		return e.lossElems(K, func(i ix) []jen.Code {
			return []jen.Code{e.at(g, i).Op("=").Add(scaled(e.at(h, i).Op("-").Add(y(i))))}
		})
	case spec.Logistic:
		return e.lossElems(1, func(r ix) []jen.Code {
			return []jen.Code{e.at(g, r).Op("=").Add(scaled(e.call("sigmoid", e.at(h, r)).Op("-").Add(y(r))))}
		})
	}
	// g holds computeLoss's e^(t − max t): softmax(t)/B is g·(1/(B·Σ)).
	return e.batchRows(B, K, func(r ix) []jen.Code {
		body := []jen.Code{jen.Id("s").Op(":=").Add(e.at(op.Reads[1], r))}
		body = append(body, e.nest([]string{"i"}, []int{K}, func(i []ix) []jen.Code {
			return []jen.Code{e.at(g, r.times(K).add(i[0])).Op("*=").Id("s")}
		})...)
		return append(body, e.atClass(g, r, K).Op("-=").Add(inv))
	})
}
