package gen

import (
	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

// act is σ(z) for the op's activation (7.20), (7.24)–(7.28).
func (e *emitter) act(op *ir.Op, z *jen.Statement) jen.Code {
	a := op.Act
	switch a.Kind {
	case spec.ReLU:
		return jen.Max(z, jen.Lit(0))
	case spec.Tanh:
		return e.math("Tanh", z)
	case spec.LeakyReLU:
		return e.call("leakyRelu", z, flit(a.Gamma))
	case spec.Softplus:
		return e.call("softplus", z, flit(a.Beta))
	}
	return e.call(map[spec.Kind]string{spec.Sigmoid: "sigmoid", spec.GELU: "gelu"}[a.Kind], z)
}

// actGrad is ∂z = σ'(z) ⊙ ∂a (7.69), from z or from a = σ(z), whichever is cheaper.
func (e *emitter) actGrad(op *ir.Op, i ix) jen.Code {
	l := op.Act
	// z or a, whichever the IR saved for this activation (ir.GradFromOutput).
	z, g := e.at(op.Reads[0], i), e.at(op.Reads[1], i)
	a := z
	var d jen.Code
	switch l.Kind {
	case spec.ReLU:
		d = e.call("reluGrad", z, g)
	case spec.Sigmoid:
		d = a.Clone().Op("*").Parens(jen.Lit(1).Op("-").Add(a)).Op("*").Add(g)
	case spec.Tanh:
		d = jen.Parens(jen.Lit(1).Op("-").Add(a).Op("*").Add(a.Clone())).Op("*").Add(g)
	case spec.GELU:
		d = e.call("geluGrad", z).Op("*").Add(g)
	case spec.LeakyReLU:
		d = e.call("leakyReluGrad", z, flit(l.Gamma)).Op("*").Add(g)
	case spec.Softplus:
		d = e.call("sigmoid", flit(l.Beta).(*jen.Statement).Op("*").Add(z)).Op("*").Add(g)
	}
	return e.at(op.Writes[0], i).Op("=").Add(d)
}

// call calls a scalar helper and marks it for emission.
func (e *emitter) call(name string, args ...jen.Code) *jen.Statement {
	e.helpers[name] = true
	return jen.Id(name).Call(args...)
}
