package gen

import (
	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/spec"
	"github.com/nngen/nngen/weightinit"
)

// initFile emits Init: package weightinit's stream and schemes, with each
// parameter's bound computed here and spelled exactly, so that the values
// are bit-identical to weightinit.Values (rounded once for float32).
func (e *emitter) initFile() *jen.File {
	f := e.newFile()
	f.Comment("splitMix64 is SplitMix64, the stream of package weightinit.")
	f.Type().Id("splitMix64").Struct(jen.Id("state").Uint64())
	f.Line()
	st := jen.Id("r").Dot("state")
	f.Func().Params(jen.Id("r").Op("*").Id("splitMix64")).Id("next").Params().Uint64().Block(
		st.Clone().Op("+=").Op("0x9e3779b97f4a7c15"),
		jen.Id("z").Op(":=").Add(st.Clone()),
		jen.Id("z").Op("=").Parens(jen.Id("z").Op("^").Parens(jen.Id("z").Op(">>").Lit(30))).Op("*").Op("0xbf58476d1ce4e5b9"),
		jen.Id("z").Op("=").Parens(jen.Id("z").Op("^").Parens(jen.Id("z").Op(">>").Lit(27))).Op("*").Op("0x94d049bb133111eb"),
		jen.Return(jen.Id("z").Op("^").Parens(jen.Id("z").Op(">>").Lit(31))),
	)
	f.Line()
	f.Comment("uniform is in [0, 1), from the top 53 bits of a draw.")
	f.Func().Params(jen.Id("r").Op("*").Id("splitMix64")).Id("uniform").Params().Float64().Block(
		jen.Return(jen.Float64().Call(jen.Id("r").Dot("next").Call().Op(">>").Lit(11)).Op("*").Op("0x1p-53")))
	f.Line()
	f.Comment("fillUniform sets every element to (2u − 1)·bound.")
	f.Func().Id("fillUniform").Params(jen.Id("v").Index().Add(e.T()), jen.Id("r").Op("*").Id("splitMix64"), jen.Id("bound").Float64()).Block(
		jen.For(jen.Id("i").Op(":=").Range().Id("v")).Block(
			jen.Id("v").Index(jen.Id("i")).Op("=").Add(e.toT(jen.Parens(jen.Lit(2).Op("*").Id("r").Dot("uniform").Call().Op("-").Lit(1)).Op("*").Id("bound")))))
	f.Line()
	f.Comment("Init sets the parameters deterministically from seed (package weightinit: He uniform before the ReLU family,")
	f.Comment("Xavier uniform otherwise; biases and betas 0, gammas 1) and clears the gradient and the momentum.")
	f.Func().Params(mRecv).Id("Init").Params(jen.Id("seed").Uint64()).Block(e.initBody()...)
	return f
}

func (e *emitter) initBody() []jen.Code {
	var body []jen.Code
	if e.drawsRandom() {
		body = append(body, jen.Id("r").Op(":=").Id("splitMix64").Values(jen.Id("seed")))
	}
	if e.train() {
		body = append(body, jen.Id("m").Dot("Grad").Op("=").Id("Params").Values())
	}
	if e.train() {
		for _, st := range e.stateFields() {
			body = append(body, jen.Id("m").Dot(st.Field).Op("=").Id("Params").Values())
		}
		if e.m.Optimizer.Kind != spec.SGD {
			body = append(body, jen.Id("m").Dot("steps").Op("=").Lit(0))
		}
	}
	for _, p := range e.m.Params {
		s := weightinit.SchemeOf(e.m, p)
		field := jen.Id("m").Dot("Params").Dot(p.Name)
		if s.Bound > 0 {
			kind := "Xavier"
			if s.He {
				kind = "He"
			}
			body = append(body, jen.Id("fillUniform").Call(e.flatView(field, p.Shape).Index(jen.Empty(), jen.Empty()),
				jen.Op("&").Id("r"), flit(s.Bound)).Comment(kind))
			continue
		}
		switch {
		case len(p.Shape) == 0:
			body = append(body, field.Op("=").Add(flit(s.Const)))
		case s.Const == 0:
			body = append(body, field.Op("=").Add(e.shaped(p.Shape)).Values())
		default:
			body = append(body, jen.Block(
				jen.Id("v").Op(":=").Add(e.flatView(field, p.Shape)),
				jen.For(jen.Id("i").Op(":=").Range().Id("v")).Block(jen.Id("v").Index(jen.Id("i")).Op("=").Add(flit(s.Const)))))
		}
	}
	return body
}

// drawsRandom reports whether any parameter is drawn from the stream.
func (e *emitter) drawsRandom() bool {
	for _, p := range e.m.Params {
		if weightinit.SchemeOf(e.m, p).Bound > 0 {
			return true
		}
	}
	return false
}
