package gen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
	"github.com/nngen/nngen/testvec"
)

// updateKernel is the plan's assembly update over ir.UpdateChunk
// elements, or nil when the parameters are fewer (all of them then go
// through the Go loop).
func (e *emitter) updateKernel() *ir.Update { return e.p.Plan.Update }

// updateLoop is the optimizer's update as a Go loop over slices.
func (e *emitter) updateLoop() ir.Update { return ir.UpdateOf(e.m.Optimizer, e.m.DType, 0) }

// updates lists the assembly update kernels of the plan: none or one.
func (e *emitter) updates() []ir.Update {
	if u := e.updateKernel(); u != nil {
		return []ir.Update{*u}
	}
	return nil
}

// emitUpdateGenerics emits the update's Go loop (the body of its reference
// loop, over slices) and the kernel's Generic twin, which runs the loop on
// one chunk. The products are converted to T so that no compiler fuses
// them into an FMA: the loop and the assembly round identically.
func (e *emitter) emitUpdateGenerics(f *jen.File) {
	if !e.train() {
		return
	}
	l := e.updateLoop()
	loop := l.ReferenceLoop()
	tensors, _ := l.Params()
	body := []string{}
	for _, t := range tensors[1:] {
		body = append(body, fmt.Sprintf("\t%s = %s[:len(p)]", t, t))
	}
	body = append(body, loop...)
	comment(f, fmt.Sprintf("%s is the %s update of the elements of p (the other tensors as long):\n\n%s", l.LoopName(), l.Kind, strings.Join(loop, "\n")))
	params := strings.TrimSuffix(strings.TrimPrefix(l.LoopSignature(), "func("), ")")
	f.Func().Id(l.LoopName()).Params(jen.Op(params)).Block(jen.Op(strings.Join(body, "\n")))
	f.Line()
	for _, u := range e.updates() {
		f.Comment(fmt.Sprintf("%sGeneric is %s over %d elements.", u.Name(), l.LoopName(), u.N))
		params := strings.TrimSuffix(strings.TrimPrefix(u.Signature(), "func("), ")")
		var args []jen.Code
		for _, n := range strings.Split(u.Args(), ", ") {
			if slices.Contains(tensors, n) {
				args = append(args, jen.Id(n).Index(jen.Empty(), jen.Empty()))
			} else {
				args = append(args, jen.Id(n))
			}
		}
		f.Func().Id(u.Name() + "Generic").Params(jen.Op(params)).Block(jen.Id(l.LoopName()).Call(args...))
		f.Line()
	}
	if e.m.Optimizer.Kind != spec.SGD {
		f.Comment("sqrt is √x, correctly rounded in T.")
		f.Func().Id("sqrt").Params(jen.Id("x").Add(e.T())).Add(e.T()).Block(jen.Return(e.math("Sqrt", jen.Id("x"))))
		f.Line()
	}
}

// scalarNames are the per-Step constants of the optimizer, as the update
// kernels take them.
func (e *emitter) scalarNames() []string {
	_, s := e.updateLoop().Params()
	return s
}

// emitUpdate emits the optimizer step (torch.optim's semantics, see
// ir.Update): the per-Step constants, then one update over every
// parameter's elements as a flat array, so that SetThreads can split it.
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
	f.Comment("scalars counts a Step (Adam's t) and computes its constants.")
	f.Func().Params(mRecv).Id("scalars").Params().Id("stepScalars").Block(append(pre, jen.Return(jen.Id("stepScalars").Values(vals)))...)
	f.Line()
	f.Comment("update steps the parameters with the gradient in m.Grad over the elements [from, to)")
	f.Comment("of Params, seen as one flat array (the optimizer is elementwise): " + o.Statement() + ".")
	f.Comment("Whole chunks run the update kernel, the rest its Go loop.")
	f.Func().Params(mRecv).Id("update").Params(jen.Id("s").Op("*").Id("stepScalars"), jen.List(jen.Id("from"), jen.Id("to")).Int()).Block(e.updateBody()...)
	f.Line()
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

// updateBody is update's body: flat views of Params, Grad and the
// optimizer state, the chunk loop, then the Go loop on the rest.
func (e *emitter) updateBody() []jen.Code {
	l := e.updateLoop()
	fields := map[string]string{"p": "Params", "grad": "Grad"}
	if st := e.stateFields(); len(st) == 1 {
		fields["v"] = st[0].Field
	} else if len(st) == 2 { // Adam's m and v: m1 here, m being the receiver
		fields["m"], fields["v"] = st[0].Field, st[1].Field
	}
	local := func(n string) string {
		if n == "m" {
			return "m1"
		}
		return n
	}
	tensors, scalars := l.Params()
	var body, step, chunk, rest []jen.Code
	for _, t := range tensors {
		body = append(body, jen.Id(local(t)).Op(":=").Parens(jen.Op("*").Index(jen.Id("paramCount")).Add(e.T())).
			Call(jen.Qual("unsafe", "Pointer").Call(jen.Op("&").Id("m").Dot(fields[t]))).Index(jen.Id("from"), jen.Id("to")))
		step = append(step, jen.Id(local(t)).Index(jen.Lit(ir.UpdateChunk), jen.Empty()))
		chunk = append(chunk, jen.Parens(jen.Op("*").Add(e.arr(ir.UpdateChunk))).Call(jen.Id(local(t))))
		rest = append(rest, jen.Id(local(t)))
	}
	for _, n := range scalars {
		chunk = append(chunk, jen.Id("s").Dot(n))
		rest = append(rest, jen.Id("s").Dot(n))
	}
	if u := e.updateKernel(); u != nil {
		var names []jen.Code
		for _, t := range tensors {
			names = append(names, jen.Id(local(t)))
		}
		body = append(body, jen.For(jen.Op(";").Len(jen.Id("p")).Op(">=").Lit(ir.UpdateChunk).Op(";").List(names...).Op("=").List(step...)).Block(
			jen.Id(u.Name()).Call(chunk...)))
	}
	return append(body, jen.Id(l.LoopName()).Call(rest...))
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
