package gen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/asm"
	"github.com/nngen/nngen/spec"
	"github.com/nngen/nngen/testvec"
)

// updateKernel is p's update as a kernel: the optimizer's variant, p's length.
func (e *emitter) updateKernel(p *spec.Param) asm.Update {
	o := e.m.Optimizer
	u := asm.Update{DType: e.m.DType, N: p.Shape.Size(), Kind: o.Kind,
		Momentum: o.Kind == spec.SGD && o.Momentum != 0, Nesterov: o.Nesterov, Decay: o.WeightDecay != 0}
	if u.Kind == spec.AdamW && !u.Decay {
		u.Kind = spec.Adam // AdamW without decay is Adam
	}
	return u
}

// updates lists the distinct assembly update kernels of the plan.
func (e *emitter) updates() []asm.Update {
	var us []asm.Update
	seen := map[string]bool{}
	for _, p := range e.m.Params {
		if u := e.updateKernel(p); e.p.Plan.SIMDUpdate[p] && !seen[u.Name()] {
			seen[u.Name()] = true
			us = append(us, u)
		}
	}
	return us
}

// emitUpdateGenerics emits each update kernel's Generic twin: the loop of
// its doc comment. The products are converted to T so that no compiler
// fuses them into an FMA: Generic and assembly round identically.
func (e *emitter) emitUpdateGenerics(f *jen.File) {
	for _, u := range e.updates() {
		loop := u.ReferenceLoop()
		comment(f, fmt.Sprintf("%sGeneric is the %s update:\n\n%s", u.Name(), u.Kind, strings.Join(loop, "\n")))
		params := strings.TrimSuffix(strings.TrimPrefix(u.Signature(), "func("), ")")
		body := strings.Join(loop, "\n")
		f.Func().Id(u.Name() + "Generic").Params(jen.Op(params)).Block(jen.Op(body))
		f.Line()
	}
	if e.train() && e.m.Optimizer.Kind != spec.SGD {
		f.Comment("sqrt is √x, correctly rounded in T.")
		f.Func().Id("sqrt").Params(jen.Id("x").Add(e.T())).Add(e.T()).Block(jen.Return(e.math("Sqrt", jen.Id("x"))))
		f.Line()
	}
}

// scalarNames are the per-Step constants of the optimizer, as the update
// kernels take them (asm.Update's scalars).
func (e *emitter) scalarNames() []string {
	o := e.m.Optimizer
	var s []string
	switch {
	case o.Kind != spec.SGD:
		s = []string{"b1", "omb1", "b2", "omb2", "eps", "step", "bc2"}
	case o.Momentum != 0:
		s = []string{"lr", "mu"}
	default:
		s = []string{"lr"}
	}
	switch {
	case o.WeightDecay != 0 && o.Kind == spec.AdamW:
		s = append(s, "decay")
	case o.WeightDecay != 0:
		s = append(s, "wd")
	}
	return s
}

// emitUpdate emits the optimizer step (torch.optim's semantics, see
// asm.Update): the per-Step constants once, then one update per parameter,
// a kernel call for parameters of at least ir.MinSIMDUpdate elements and
// straight-line Go for smaller ones.
func (e *emitter) emitUpdate(f *jen.File) {
	o := e.m.Optimizer
	var fields []jen.Code
	for _, n := range e.scalarNames() {
		fields = append(fields, jen.Id(n))
	}
	f.Comment("stepScalars are the optimizer's constants of one Step.")
	f.Type().Id("stepScalars").Struct(jen.List(fields...).Add(e.T()))
	f.Line()
	vals := jen.Dict{}
	var pre []jen.Code
	set := func(name string, v jen.Code) { vals[jen.Id(name)] = v }
	switch o.Kind {
	case spec.SGD:
		set("lr", jen.Id("m").Dot("lr"))
		if o.Momentum != 0 {
			set("mu", flit(o.Momentum))
		}
	default: // Adam's bias corrections, in float64 as PyTorch computes them in Python
		pre = append(pre, jen.Id("m").Dot("steps").Op("++"),
			jen.Id("t").Op(":=").Float64().Call(jen.Id("m").Dot("steps")),
			jen.Id("lr").Op(":=").Float64().Call(jen.Id("m").Dot("lr")))
		set("b1", flit(o.Beta1))
		set("omb1", flit(1-o.Beta1))
		set("b2", flit(o.Beta2))
		set("omb2", flit(1-o.Beta2))
		set("eps", flit(o.Eps))
		set("step", e.toT(jen.Id("lr").Op("/").Parens(jen.Lit(1).Op("-").Qual("math", "Pow").Call(flit(o.Beta1), jen.Id("t")))))
		set("bc2", e.toT(jen.Qual("math", "Sqrt").Call(jen.Lit(1).Op("-").Qual("math", "Pow").Call(flit(o.Beta2), jen.Id("t")))))
	}
	switch {
	case o.WeightDecay != 0 && o.Kind == spec.AdamW:
		set("decay", e.toT(jen.Lit(1).Op("-").Id("lr").Op("*").Add(flit(o.WeightDecay))))
	case o.WeightDecay != 0:
		set("wd", flit(o.WeightDecay))
	}
	calls := []jen.Code{}
	for _, p := range e.m.Params {
		calls = append(calls, jen.Id("m").Dot("update"+p.Name).Call(jen.Op("&").Id("s")))
	}
	f.Comment("update steps every parameter with the gradient in m.Grad: " + o.Statement() + ".")
	body := append(pre, jen.Id("s").Op(":=").Id("stepScalars").Values(vals))
	if len(calls) == 0 {
		body = append(body, jen.Id("_").Op("=").Id("s")) // no parameters to step
	}
	f.Func().Params(mRecv).Id("update").Params().Block(append(body, calls...)...)
	f.Line()
	for _, p := range e.m.Params {
		f.Comment(fmt.Sprintf("update%s steps %s (%s).", p.Name, p.Name, paramComment(e.m, p)))
		f.Func().Params(mRecv).Id("update" + p.Name).Params(jen.Id("s").Op("*").Id("stepScalars")).Block(e.updateBody(p)...)
		f.Line()
	}
}

// stateFields are the Model's optimizer state, Params-shaped, with the
// names of their tensors in checkpoints (PyTorch's state names).
func (e *emitter) stateFields() []stateRow {
	o := e.m.Optimizer
	switch {
	case o.Kind != spec.SGD:
		return []stateRow{{Field: "adamM", Prefix: "optimizer.exp_avg."}, {Field: "adamV", Prefix: "optimizer.exp_avg_sq."}}
	case o.Momentum != 0:
		return []stateRow{{Field: "vel", Prefix: "optimizer.momentum_buffer."}}
	}
	return nil
}

// updateBody calls p's update kernel, or is straight-line Go: the kernel's
// reference loop unrolled, its products converted to T as in Generic.
func (e *emitter) updateBody(p *spec.Param) []jen.Code {
	u := e.updateKernel(p)
	view := func(field string) *jen.Statement { return e.flatView(jen.Id("m").Dot(field).Dot(p.Name), p.Shape) }
	tensors := map[string]*jen.Statement{"p": view("Params"), "grad": view("Grad")}
	if st := e.stateFields(); len(st) == 1 {
		tensors["v"] = view(st[0].Field)
	} else if len(st) == 2 { // Adam's m and v: m1, m2 here, m being the receiver
		tensors["m1"], tensors["m2"] = view(st[0].Field), view(st[1].Field)
	}
	if e.p.Plan.SIMDUpdate[p] {
		var args []jen.Code
		for _, n := range strings.Split(u.Args(), ", ") {
			if u.Kind != spec.SGD && (n == "m" || n == "v") {
				n = map[string]string{"m": "m1", "v": "m2"}[n]
			}
			if t, ok := tensors[n]; ok {
				args = append(args, t)
			} else {
				args = append(args, jen.Id("s").Dot(n))
			}
		}
		return []jen.Code{jen.Id(u.Name()).Call(args...)}
	}
	var body []jen.Code
	for _, n := range []string{"p", "v", "m1", "m2", "grad"} {
		if t, ok := tensors[n]; ok {
			body = append(body, jen.Id(n).Op(":=").Add(t))
		}
	}
	return append(body, e.nest([]string{"i"}, []int{p.Shape.Size()}, func(i []ix) []jen.Code {
		return e.updateElement(u, i[0])
	})...)
}

// updateElement is one element of asm.Update's reference loop, in jennifer.
func (e *emitter) updateElement(u asm.Update, i ix) []jen.Code {
	at := func(v string) *jen.Statement { return jen.Id(v).Index(i.code()) }
	sc := func(n string) *jen.Statement { return jen.Id("s").Dot(n) }
	T := func(c jen.Code) *jen.Statement { return e.T().Call(c) }
	d := func() *jen.Statement { // the gradient, with L2 weight decay (sgd, adam)
		if u.Decay && u.Kind != spec.AdamW {
			return jen.Parens(at("grad").Op("+").Add(T(sc("wd").Op("*").Add(at("p")))))
		}
		return at("grad")
	}
	switch {
	case u.Kind != spec.SGD:
		var out []jen.Code
		if u.Decay && u.Kind == spec.AdamW {
			out = append(out, at("p").Op("=").Add(T(sc("decay").Op("*").Add(at("p")))))
		}
		return append(out,
			at("m1").Op("=").Add(T(sc("b1").Op("*").Add(at("m1")))).Op("+").Add(T(sc("omb1").Op("*").Add(d()))),
			at("m2").Op("=").Add(T(sc("b2").Op("*").Add(at("m2")))).Op("+").Add(T(T(sc("omb2").Op("*").Add(d())).Op("*").Add(d()))),
			at("p").Op("-=").Add(T(sc("step").Op("*").Add(at("m1")))).Op("/").Parens(
				jen.Id("sqrt").Call(at("m2")).Op("/").Add(sc("bc2")).Op("+").Add(sc("eps"))))
	case u.Nesterov:
		return []jen.Code{
			at("v").Op("=").Add(T(sc("mu").Op("*").Add(at("v")))).Op("+").Add(d()),
			at("p").Op("-=").Add(T(sc("lr").Op("*").Parens(d().Op("+").Add(T(sc("mu").Op("*").Add(at("v"))))))),
		}
	case u.Momentum:
		return []jen.Code{
			at("v").Op("=").Add(T(sc("mu").Op("*").Add(at("v")))).Op("+").Add(d()),
			at("p").Op("-=").Add(T(sc("lr").Op("*").Add(at("v")))),
		}
	}
	return []jen.Code{at("p").Op("-=").Add(T(sc("lr").Op("*").Add(d())))}
}

// testUpdates describes the SIMD update kernels for the package's test.
func (e *emitter) testUpdates() []testvec.Update {
	var out []testvec.Update
	for _, u := range e.updates() {
		tensors, scalars := u.Params()
		nonneg := -1
		for i, t := range tensors {
			if t == "v" && u.Kind != spec.SGD {
				nonneg = i
			}
		}
		out = append(out, testvec.Update{Name: u.Name(), N: u.N, Tensors: len(tensors), Scalars: len(scalars), NonNegative: nonneg})
	}
	return out
}
