package gen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/asm"
	"github.com/nngen/nngen/spec"
)

// simdUpdate is p's assembly update kernel, if ir.SelectKernels gave it one.
func (e *emitter) simdUpdate(p *spec.Param) (asm.Update, bool) {
	u := asm.Update{DType: e.m.DType, N: p.Shape.Size(), Momentum: e.m.Optimizer.Momentum != 0}
	return u, e.p.Plan.SIMDUpdate[p]
}

// updates lists the distinct update kernels of the plan.
func (e *emitter) updates() []asm.Update {
	var us []asm.Update
	for _, u := range e.p.Plan.Updates {
		us = append(us, asm.Update{DType: u.DType, N: u.N, Momentum: u.Momentum})
	}
	return us
}

// emitUpdateGenerics emits each update kernel's Generic twin: the loop of
// its doc comment. The products are converted to T so that no compiler
// fuses them into an FMA: Generic and assembly round identically.
func (e *emitter) emitUpdateGenerics(f *jen.File) {
	for _, u := range e.updates() {
		loop := u.ReferenceLoop()
		comment(f, fmt.Sprintf("%sGeneric is the SGD update (7.10):\n\n%s", u.Name(), strings.Join(loop, "\n")))
		params := strings.TrimSuffix(strings.TrimPrefix(u.Signature(), "func("), ")")
		body := strings.Join(loop, "\n")
		f.Func().Id(u.Name() + "Generic").Params(jen.Op(params)).Block(jen.Op(body))
		f.Line()
	}
}

// emitUpdate emits one SGD update per parameter: with momentum μ, as
// PyTorch, v := μv + ∇J; θ := θ − αv; without, θ := θ − α∇J (7.10).
// Parameters of at least minSIMDUpdate elements call an update kernel.
func (e *emitter) emitUpdate(f *jen.File) {
	var names []string
	for _, p := range e.m.Params {
		names = append(names, "update"+p.Name)
	}
	f.Comment("update steps every parameter with the gradient in m.Grad.")
	f.Func().Params(mRecv).Id("update").Params().Block(callNames(names)...)
	f.Line()
	for _, p := range e.m.Params {
		f.Comment(fmt.Sprintf("update%s steps %s (%s).", p.Name, p.Name, paramComment(e.m, p)))
		f.Func().Params(mRecv).Id("update" + p.Name).Params().Block(e.updateBody(p)...)
		f.Line()
	}
}

// updateBody calls p's update kernel, or loops in Go; the products are
// converted to T, as in the kernels' Generic, so that they are not fused.
func (e *emitter) updateBody(p *spec.Param) []jen.Code {
	view := func(field string) *jen.Statement { return e.flatView(jen.Id("m").Dot(field).Dot(p.Name), p.Shape) }
	mu := e.m.Optimizer.Momentum
	if u, ok := e.simdUpdate(p); ok {
		args := []jen.Code{view("Params")}
		if mu != 0 {
			args = append(args, view("vel"))
		}
		args = append(args, view("Grad"), jen.Id("m").Dot("lr"))
		if mu != 0 {
			args = append(args, flit(mu))
		}
		return []jen.Code{jen.Id(u.Name()).Call(args...)}
	}
	body := []jen.Code{jen.Id("p").Op(":=").Add(view("Params")), jen.Id("g").Op(":=").Add(view("Grad"))}
	if mu != 0 {
		body = append(body, jen.Id("v").Op(":=").Add(view("vel")))
	}
	body = append(body, jen.Id("lr").Op(":=").Id("m").Dot("lr"))
	return append(body, e.nest([]string{"i"}, []int{p.Shape.Size()}, func(i []ix) []jen.Code {
		at := func(v string) *jen.Statement { return jen.Id(v).Index(i[0].code()) }
		if mu == 0 {
			return []jen.Code{at("p").Op("-=").Add(e.T()).Call(jen.Id("lr").Op("*").Add(at("g")))}
		}
		return []jen.Code{
			at("v").Op("=").Add(e.T()).Call(jen.Add(flit(mu)).Op("*").Add(at("v"))).Op("+").Add(at("g")),
			at("p").Op("-=").Add(e.T()).Call(jen.Id("lr").Op("*").Add(at("v"))),
		}
	})...)
}
