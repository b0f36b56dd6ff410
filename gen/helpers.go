package gen

import "github.com/dave/jennifer/jen"

// helperDefs are the scalar functions layer code calls; the compiler
// inlines them. Each evaluates in float64, as the reference does, and rounds
// once to T.
var helperDefs = map[string]func(e *emitter) (doc string, params []jen.Code, body []jen.Code){
	"sigmoid": func(e *emitter) (string, []jen.Code, []jen.Code) {
		return "sigmoid is 1/(1 + e^−z) (7.24), never overflowing.", e.tParams("z"), []jen.Code{
			jen.Id("x").Op(":=").Add(e.f64(jen.Id("z"))),
			jen.If(jen.Id("x").Op(">=").Lit(0)).Block(jen.Return(e.toT(jen.Lit(1).Op("/").Parens(
				jen.Lit(1).Op("+").Qual("math", "Exp").Call(jen.Op("-").Id("x")))))),
			jen.Id("ex").Op(":=").Qual("math", "Exp").Call(jen.Id("x")),
			jen.Return(e.toT(jen.Id("ex").Op("/").Parens(jen.Lit(1).Op("+").Id("ex")))),
		}
	},
	"gelu": func(e *emitter) (string, []jen.Code, []jen.Code) {
		return "gelu is z·Φ(z) (7.27) with Φ(z) = ½(1 + erf(z/√2)).", e.tParams("z"), []jen.Code{
			jen.Id("x").Op(":=").Add(e.f64(jen.Id("z"))),
			jen.Return(e.toT(jen.Id("x").Op("*").Parens(normalCDF()))),
		}
	},
	"geluGrad": func(e *emitter) (string, []jen.Code, []jen.Code) {
		return "geluGrad is gelu'(z) = Φ(z) + z·φ(z).", e.tParams("z"), []jen.Code{
			jen.Id("x").Op(":=").Add(e.f64(jen.Id("z"))),
			jen.Id("pdf").Op(":=").Qual("math", "Exp").Call(jen.Op("-").Id("x").Op("*").Id("x").Op("/").Lit(2)).
				Op("/").Qual("math", "Sqrt").Call(jen.Lit(2).Op("*").Qual("math", "Pi")),
			jen.Return(e.toT(normalCDF().Op("+").Id("x").Op("*").Id("pdf"))),
		}
	},
	"softplus": func(e *emitter) (string, []jen.Code, []jen.Code) {
		return "softplus is (1/β) log(1 + e^βz) (7.28) as (max(βz, 0) + log(1 + e^−|βz|))/β.",
			[]jen.Code{jen.Id("z").Add(e.T()), jen.Id("beta").Float64()}, []jen.Code{
				jen.Id("t").Op(":=").Id("beta").Op("*").Add(e.f64(jen.Id("z"))),
				jen.Return(e.toT(jen.Parens(jen.Qual("math", "Max").Call(jen.Id("t"), jen.Lit(0)).Op("+").
					Qual("math", "Log1p").Call(jen.Qual("math", "Exp").Call(jen.Op("-").Qual("math", "Abs").Call(jen.Id("t"))))).
					Op("/").Id("beta"))),
			}
	},
	"reluGrad": func(e *emitter) (string, []jen.Code, []jen.Code) {
		// A mask, not a branch: the sign of z is unpredictable, and the
		// compiler turns the integer select into a conditional move.
		bits, u := "Float32", jen.Uint32()
		if e.is64() {
			bits, u = "Float64", jen.Uint64()
		}
		return "reluGrad is 1{z > 0}·g (7.20), taking 0 at z = 0 as PyTorch does, branch-free.", e.tParams("z", "g"), []jen.Code{
			jen.Var().Id("keep").Add(u),
			jen.If(jen.Id("z").Op(">").Lit(0)).Block(jen.Id("keep").Op("=").Op("^").Add(u).Call(jen.Lit(0))),
			jen.Return(jen.Qual("math", bits+"frombits").Call(jen.Qual("math", bits+"bits").Call(jen.Id("g")).Op("&").Id("keep"))),
		}
	},
	"leakyRelu": func(e *emitter) (string, []jen.Code, []jen.Code) {
		return "leakyRelu is max{z, γz} (7.26): z for z > 0, else γz.", e.tParams("z", "gamma"), []jen.Code{
			jen.If(jen.Id("z").Op(">").Lit(0)).Block(jen.Return(jen.Id("z"))),
			jen.Return(jen.Id("gamma").Op("*").Id("z")),
		}
	},
	"leakyReluGrad": func(e *emitter) (string, []jen.Code, []jen.Code) {
		return "leakyReluGrad is 1 for z > 0, else γ.", e.tParams("z", "gamma"), []jen.Code{
			jen.If(jen.Id("z").Op(">").Lit(0)).Block(jen.Return(jen.Lit(1))),
			jen.Return(jen.Id("gamma")),
		}
	},
	"logisticLoss": func(e *emitter) (string, []jen.Code, []jen.Code) {
		return "logisticLoss is (7.4) on one logit: max(t, 0) − y·t + log(1 + e^−|t|), never overflowing.",
			e.tParams("t", "y"), []jen.Code{
				jen.List(jen.Id("x"), jen.Id("v")).Op(":=").List(e.f64(jen.Id("t")), e.f64(jen.Id("y"))),
				jen.Return(e.toT(jen.Qual("math", "Max").Call(jen.Id("x"), jen.Lit(0)).Op("-").Id("v").Op("*").Id("x").
					Op("+").Qual("math", "Log1p").Call(jen.Qual("math", "Exp").Call(jen.Op("-").Qual("math", "Abs").Call(jen.Id("x")))))),
			}
	},
}

// normalCDF is 0.5 * (1 + math.Erf(x/math.Sqrt2)).
func normalCDF() *jen.Statement {
	return jen.Lit(0.5).Op("*").Parens(jen.Lit(1).Op("+").Qual("math", "Erf").Call(jen.Id("x").Op("/").Qual("math", "Sqrt2")))
}

func (e *emitter) tParams(names ...string) []jen.Code {
	ids := make([]jen.Code, len(names))
	for i, n := range names {
		ids[i] = jen.Id(n)
	}
	return []jen.Code{jen.List(ids...).Add(e.T())}
}

// emitHelpers appends the helpers used so far, sorted by name.
func (e *emitter) emitHelpers(f *jen.File) {
	for _, name := range sortedKeys(e.helpers) {
		doc, params, body := helperDefs[name](e)
		f.Comment(doc)
		f.Func().Id(name).Params(params...).Add(e.T()).Block(body...)
		f.Line()
	}
}
