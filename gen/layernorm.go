package gen

import (
	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
)

// layerNorm is LN(z) = β + γ·x̂, x̂ = (z − μ̂)/σ̂, σ̂ = sqrt(var + eps) with
// the biased variance, per example over its F features (7.41); x̂ and σ̂ are
// kept for the backward pass. The variance takes a second pass over z − μ̂
// (numerically stable, unlike E[z²] − μ̂²); both sums run in interleaved
// partial sums, and each row divides once, by σ̂, to multiply by 1/σ̂.
func (e *emitter) layerNorm(op *ir.Op) []jen.Code {
	rows, F := op.Dims[0], op.Dims[1]
	z, gamma, beta := op.Reads[0], op.Reads[1], op.Reads[2]
	out, xhat, sigma := op.Writes[0], op.Writes[1], op.Writes[2]
	aff := affineIx(gamma)
	if ir.LNKernel(F, gamma.Len) { // one call for the rows: rows [lo, hi) in a batched function
		rowsOf := e.rowSpans(rows)
		fn := e.useElem(ir.LNForward, F).Name()
		return []jen.Code{jen.Id(fn).Call(rowsOf(z, F), rowsOf(xhat, F), rowsOf(out, F),
			e.rowPtr(gamma, lit(0), F), e.rowPtr(beta, lit(0), F), rowsOf(sigma, 1), flit(op.Eps))}
	}
	return e.rows("r", rows, 4*F, func(r ix) []jen.Code {
		k := func(i ix) ix { return r.times(F).add(i) }
		row := e.span(z, r.times(F), F)
		body := []jen.Code{
			jen.Id("mean").Op(":=").Add(e.callRow("sum", row)).Op("/").Lit(F),
			// The variance is in float64 (sumSqDev): squares of float32 differences
			// past 1.8e19 would overflow, and σ̂ = ∞ would make x̂ zero silently.
			jen.Id("vari").Op(":=").Add(e.callRow("sumSqDev", row.Clone(), jen.Id("mean"))).Op("/").Lit(F),
			jen.Id("s").Op(":=").Add(e.toT(jen.Qual("math", "Sqrt").Call(jen.Id("vari").Op("+").Add(flit(op.Eps))))),
			e.at(sigma, r).Op("=").Id("s"),
			jen.Id("inv").Op(":=").Lit(1).Op("/").Id("s"),
		}
		return append(body, e.nest([]string{"i"}, []int{F}, func(i []ix) []jen.Code {
			return []jen.Code{
				e.at(xhat, k(i[0])).Op("=").Parens(e.at(z, k(i[0])).Op("-").Id("mean")).Op("*").Id("inv"),
				e.at(out, k(i[0])).Op("=").Add(e.at(beta, aff(i[0]))).Op("+").Add(e.at(gamma, aff(i[0]))).Op("*").Add(e.at(xhat, k(i[0]))),
			}
		})...)
	})
}

// affineIx indexes γ and β: one scalar, or one per feature.
func affineIx(gamma ir.View) func(i ix) ix {
	if gamma.Len == 1 {
		return func(ix) ix { return lit(0) }
	}
	return func(i ix) ix { return i }
}

// layerNormGrad: with u = γ ⊙ ∂out, ∂z = (u − mean(u) − x̂·mean(u ⊙ x̂))/σ̂
// (times 1/σ̂, computed once per row);
// ∂γ = Σ ∂out ⊙ x̂ and ∂β = Σ ∂out (summed over features for scalar γ, β).
func (e *emitter) layerNormGrad(op *ir.Op) []jen.Code {
	rows, F := op.Dims[0], op.Dims[1]
	dy, xhat := op.Reads[0], op.Reads[1]
	dz, dgamma, dbeta := op.Writes[0], op.Writes[1], op.Writes[2]
	aff := affineIx(dgamma)
	var sigma, gamma ir.View // read only for the gradient to the input
	if dz.Buf != nil {
		sigma, gamma = op.Reads[2], op.Reads[3]
	}
	var out []jen.Code
	if !e.zeroed {
		out = append(out, e.zero(dgamma), e.zero(dbeta))
	}
	par := func(v ir.View) jen.Code { return e.rowPtr(v, lit(0), F) }
	if ir.LNKernel(F, dgamma.Len) && dz.Buf != nil { // one call for the rows: rows [lo, hi) in a batched function
		rowsOf := e.rowSpans(rows)
		fn := e.useElem(ir.LNBackward, F).Name()
		return append(out, jen.Id(fn).Call(rowsOf(dz, F), par(dgamma), par(dbeta), rowsOf(dy, F), rowsOf(xhat, F), par(gamma), rowsOf(sigma, 1)))
	}
	if ir.LNKernel(F, dgamma.Len) {
		return append(out, e.rows("r", rows, 3*F, func(r ix) []jen.Code {
			row := func(v ir.View) jen.Code { return e.rowPtr(v, r.times(F), F) }
			fn := e.useElem(ir.LNParamGrad, F).Name()
			return []jen.Code{jen.Id(fn).Call(par(dgamma), par(dbeta), row(dy), row(xhat))}
		})...)
	}
	return append(out, e.rows("r", rows, 3*F, func(r ix) []jen.Code {
		k := func(i ix) ix { return r.times(F).add(i) }
		u := func(i ix) *jen.Statement { return e.at(gamma, aff(i)).Op("*").Add(e.at(dy, k(i))) }
		var body []jen.Code
		if dz.Buf != nil {
			body = append(body, jen.List(jen.Id("su"), jen.Id("sux")).Op(":=").List(e.T().Call(jen.Lit(0)), e.T().Call(jen.Lit(0))))
		}
		body = append(body, e.nest([]string{"i"}, []int{F}, func(i []ix) []jen.Code {
			s := []jen.Code{
				e.at(dgamma, aff(i[0])).Op("+=").Add(e.at(dy, k(i[0]))).Op("*").Add(e.at(xhat, k(i[0]))),
				e.at(dbeta, aff(i[0])).Op("+=").Add(e.at(dy, k(i[0]))),
			}
			if dz.Buf != nil {
				s = append(s, jen.Id("su").Op("+=").Add(u(i[0])),
					jen.Id("sux").Op("+=").Add(u(i[0])).Op("*").Add(e.at(xhat, k(i[0]))))
			}
			return s
		})...)
		if dz.Buf == nil {
			return body
		}
		body = append(body, jen.List(jen.Id("mu"), jen.Id("mux"), jen.Id("inv")).Op(":=").List(
			jen.Id("su").Op("/").Lit(F), jen.Id("sux").Op("/").Lit(F), jen.Lit(1).Op("/").Add(e.at(sigma, r))))
		return append(body, e.nest([]string{"i"}, []int{F}, func(i []ix) []jen.Code {
			return []jen.Code{e.at(dz, k(i[0])).Op("=").Parens(u(i[0]).Op("-").Id("mu").Op("-").
				Add(e.at(xhat, k(i[0]))).Op("*").Id("mux")).Op("*").Id("inv")}
		})...)
	})...)
}
