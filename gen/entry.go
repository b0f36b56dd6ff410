package gen

import (
	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
)

var (
	mRecv  = jen.Id("m").Op("*").Id("Model")
	fwRecv = jen.Id("fw").Op("*").Id("forwardWork")
	wRecv  = jen.Id("w").Op("*").Id("Worker")
	xB     = jen.Id("x").Op("*").Index(jen.Id("BatchSize")).Id("Input")
	yB     = jen.Id("y").Op("*").Index(jen.Id("BatchSize")).Id("Target")
	outB   = jen.Id("out").Op("*").Index(jen.Id("BatchSize")).Id("Output")
	xOne   = jen.Id("x").Op("*").Id("Input")
	outOne = jen.Id("out").Op("*").Id("Output")
	xN     = jen.Id("x").Index().Id("Input")
	outN   = jen.Id("out").Index().Id("Output")
	params = jen.Id("params").Op("*").Id("Params")
	rows   = jen.List(jen.Id("lo"), jen.Id("hi")).Int()
)

// fw is a field of the forward workspace, inside a forwardWork method.
func fw(name string) *jen.Statement { return jen.Id("fw").Dot(name) }

// calls is recv.f1(args); recv.f2(args); … for every function, x
// inserted before the row range (the last two args) of those that take
// the batch input (funcParams).
func calls(recv string, fs []*ir.Func, x jen.Code, args ...jen.Code) []jen.Code {
	out := make([]jen.Code, len(fs))
	for i, f := range fs {
		a := args
		if isBatched(f) && readsInput(f) {
			n := len(args) - 2
			a = append(append(append([]jen.Code(nil), args[:n]...), x), args[n:]...)
		}
		out[i] = jen.Id(recv).Dot(f.Name).Call(a...)
	}
	return out
}

// emitForwardWork emits the forward entry points once, as methods of
// forwardWork taking the parameters: Model and Worker both call them.
func (e *emitter) emitForwardWork(f *jen.File) {
	in, out := e.m.Input.Size(), e.m.Output.Size()
	one := []jen.Code{jen.Id("params")}
	if e.p.Batch == 1 { // the batched pass is the one-example pass
		one = append(one, jen.Lit(0), jen.Lit(1))
	}
	f.Comment("forwardOne runs the network on one example (7.72).")
	f.Func().Params(fwRecv).Id("forwardOne").Params(params, xOne, outOne).Block(
		append(append([]jen.Code{
			jen.Op("*").Parens(jen.Op("*").Add(e.arr(in))).Call(fw("x").Index(jen.Empty(), jen.Empty())).Op("=").Op("*").Add(e.unsafeView(jen.Id("x"), in)),
		}, calls("fw", e.forward1(), jen.Op("&").Id("fw").Dot("x"), one...)...),
			jen.Op("*").Add(e.unsafeView(jen.Id("out"), out)).Op("=").Op("*").Parens(jen.Op("*").Add(e.arr(out))).Call(fw(e.p.Output.Name).Index(jen.Empty(), jen.Empty())),
		)...)
	f.Line()
	f.Comment("forwardBatch runs the network on a batch, keeping every activation.")
	f.Func().Params(fwRecv).Id("forwardBatch").Params(params, xB, outB).Block(
		jen.Id("fw").Dot("forward").Call(jen.Id("params"),
			jen.Id("fw").Dot("input").Call(e.unsafeView(jen.Id("x"), e.p.Input.Size), jen.Lit(0), jen.Id("BatchSize")),
			jen.Lit(0), jen.Id("BatchSize")),
		jen.Op("*").Add(e.unsafeView(jen.Id("out"), e.p.Output.Size)).Op("=").Add(fw(e.p.Output.Name)),
	)
	f.Line()
	f.Comment("input is the batch the layer functions read: x itself where it starts on a cache line")
	f.Comment("(the caller's batch, read in place: copying it in cost R2 7% of its ForwardBatch), else")
	f.Comment("its rows [lo, hi) copied into fw.x, which does, so that no row load of the first layer")
	f.Comment("straddles two lines where x's rows start on lines.")
	f.Func().Params(fwRecv).Id("input").Params(jen.Id("x").Op("*").Add(e.arr(e.p.Input.Size)), rows).Op("*").Add(e.arr(e.p.Input.Size)).Block(
		jen.If(jen.Uintptr().Call(jen.Qual("unsafe", "Pointer").Call(jen.Id("x"))).Op("%").Lit(64).Op("==").Lit(0)).Block(jen.Return(jen.Id("x"))),
		jen.Copy(fw("x").Index(jen.Id("lo").Op("*").Id("InputSize"), jen.Id("hi").Op("*").Id("InputSize")),
			jen.Id("x").Index(jen.Id("lo").Op("*").Id("InputSize"), jen.Id("hi").Op("*").Id("InputSize"))),
		jen.Return(jen.Op("&").Add(fw("x"))),
	)
	f.Line()
	if u := e.p.Units; u != nil {
		e.emitUnitForward(f, u)
	} else {
		f.Comment("forward is the forward pass over rows [lo, hi) of the batch x, layer by layer in spec order.")
		f.Func().Params(fwRecv).Id("forward").Params(params, e.inputParam(), rows).Block(calls("fw", e.p.Forward, jen.Id("x"), jen.Id("params"), lo, hi)...)
		f.Line()
	}
	f.Comment("forwardN runs full batches through forwardBatch and the rest one example at a time.")
	f.Func().Params(fwRecv).Id("forwardN").Params(params, xN, outN).Block(
		jen.If(jen.Len(jen.Id("out")).Op("<").Len(jen.Id("x"))).Block(
			jen.Panic(jen.Lit(e.opts.Package+": ForwardN: len(out) < len(x)"))),
		jen.Id("full").Op(":=").Len(jen.Id("x")).Op("-").Len(jen.Id("x")).Op("%").Id("BatchSize"),
		jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("i").Op("<").Id("full"), jen.Id("i").Op("+=").Id("BatchSize")).Block(
			jen.Id("fw").Dot("forwardBatch").Call(jen.Id("params"),
				jen.Parens(jen.Op("*").Index(jen.Id("BatchSize")).Id("Input")).Call(jen.Id("x").Index(jen.Id("i"), jen.Id("i").Op("+").Id("BatchSize"))),
				jen.Parens(jen.Op("*").Index(jen.Id("BatchSize")).Id("Output")).Call(jen.Id("out").Index(jen.Id("i"), jen.Id("i").Op("+").Id("BatchSize"))))),
		jen.For(jen.Id("i").Op(":=").Id("full"), jen.Id("i").Op("<").Len(jen.Id("x")), jen.Id("i").Op("++")).Block(
			jen.Id("fw").Dot("forwardOne").Call(jen.Id("params"), jen.Op("&").Id("x").Index(jen.Id("i")), jen.Op("&").Id("out").Index(jen.Id("i")))),
	)
	f.Line()
}

// emitForwardAPI emits Forward, ForwardBatch and ForwardN on recv (Model or
// Worker): Forward on its forward workspace, reading the parameters at p,
// and the others as batch and n say.
func (e *emitter) emitForwardAPI(f *jen.File, recv *jen.Statement, self string, p jen.Code, what string, batch, n jen.Code) {
	f.Comment("Forward runs " + what + " on one example (7.72).")
	f.Func().Params(recv).Id("Forward").Params(xOne, outOne).Block(jen.Id(self).Dot("fw").Dot("forwardOne").Call(p, jen.Id("x"), jen.Id("out")))
	f.Line()
	f.Comment("ForwardBatch runs " + what + " on a batch.")
	f.Func().Params(recv).Id("ForwardBatch").Params(xB, outB).Block(batch)
	f.Line()
	f.Comment("ForwardN runs " + what + " on any number of examples, out[i] for x[i]: full batches")
	f.Comment("through ForwardBatch, the rest through Forward. It panics if len(out) < len(x).")
	f.Func().Params(recv).Id("ForwardN").Params(xN, outN).Block(n)
	f.Line()
}

// emitWorker emits Worker: a forward workspace of its own over shared parameters.
func (e *emitter) emitWorker(f *jen.File) {
	f.Comment("Worker runs the forward pass on parameters it shares with a Model: one Worker per")
	f.Comment("goroutine serves concurrently from one copy of the weights. Workers only read the")
	f.Comment("parameters, so nothing may write them (Step, Init, Unmarshal…) while a Worker runs.")
	f.Type().Id("Worker").Struct(
		jen.Id("fw").Op("*").Id("forwardWork").Comment("apart: without pointers, it starts on a cache line"),
		jen.Id("params").Op("*").Id("Params"),
	)
	f.Line()
	f.Comment("NewWorker returns a Worker reading p (not a copy: later changes to p are seen).")
	f.Comment("Not inlined, so that its workspace is on the heap, on a cache line, never on the stack.")
	f.Comment("//go:noinline")
	f.Func().Params(jen.Id("p").Op("*").Id("Params")).Id("NewWorker").Params().Op("*").Id("Worker").Block(
		jen.Return(jen.Op("&").Id("Worker").Values(jen.Dict{jen.Id("fw"): jen.New(jen.Id("forwardWork")), jen.Id("params"): jen.Id("p")})))
	f.Line()
	wp := jen.Id("w").Dot("params")
	e.emitForwardAPI(f, wRecv, "w", wp, "the network",
		jen.Id("w").Dot("fw").Dot("forwardBatch").Call(wp, jen.Id("x"), jen.Id("out")),
		jen.Id("w").Dot("fw").Dot("forwardN").Call(wp, jen.Id("x"), jen.Id("out")))
}

func (e *emitter) emitEntryPoints(f *jen.File) {
	e.emitForwardWork(f)
	batchArgs := []jen.Code{jen.Id("jobForward"), jen.Id("x"), jen.Id("out")}
	if e.train() {
		batchArgs = []jen.Code{jen.Id("jobForward"), jen.Id("x"), jen.Nil(), jen.Id("out")}
	}
	e.emitForwardAPI(f, mRecv, "m", jen.Op("&").Id("m").Dot("Params"), "the network, over the threads of SetThreads,",
		jen.Id("m").Dot("run").Call(batchArgs...),
		jen.Id("m").Dot("forwardN").Call(jen.Id("x"), jen.Id("out")))
	e.emitWorker(f)
	if !e.train() {
		return
	}
	run := func(job string) jen.Code {
		return jen.Return(e.toT(jen.Id("m").Dot("run").Call(jen.Id(job), jen.Id("x"), jen.Id("y"), jen.Nil())))
	}
	f.Comment("Loss returns J, the mean of the batch's losses (7.2).")
	f.Func().Params(mRecv).Id("Loss").Params(xB, yB).Add(e.T()).Block(run("jobLoss"))
	f.Line()
	f.Comment("Backward returns J and leaves ∇J in m.Grad (Algorithm 3); it never touches the optimizer state.")
	f.Func().Params(mRecv).Id("Backward").Params(xB, yB).Add(e.T()).Block(run("jobBackward"))
	f.Line()
	e.emitBackward(f)
	f.Comment("Step runs Backward, then one SGD step; it returns J before the step.")
	f.Func().Params(mRecv).Id("Step").Params(xB, yB).Add(e.T()).Block(run("jobStep"))
	f.Line()
}

// emitLayerOutputs emits the hook nngen verify compares with the reference:
// after ForwardBatch of x, each layer's batch output (B-major), in
// ref.Trace order. A layer fused with its relu writes only the relu's
// output (ir.Fuse): its ID then carries ReluSuffix, and verify compares
// max(output, 0). A layer whose output is the input (a flatten first) is
// x itself, which the entry points may have read in place rather than
// copied into fw.x (forwardWork.input).
func (e *emitter) emitLayerOutputs(f *jen.File) {
	var ids, outs []jen.Code
	for _, o := range e.p.Outputs {
		id := o.ID
		if o.Relu {
			id += ReluSuffix
		}
		ids = append(ids, jen.Lit(id))
		out := jen.Id("m").Dot("fw").Dot(o.Buf.Name).Index(jen.Empty(), jen.Empty())
		if o.Buf.Kind == ir.Input {
			out = e.unsafeView(jen.Id("x"), e.p.Input.Size).Index(jen.Empty(), jen.Empty())
		}
		outs = append(outs, out)
	}
	f.Comment("layerOutputs returns, after ForwardBatch of x, every layer's batch output, for nngen verify.")
	f.Func().Params(mRecv).Id("layerOutputs").Params(xB).Params(jen.Index().String(), jen.Index().Index().Add(e.T())).Block(
		jen.Return(jen.Index().String().Values(ids...), jen.Index().Index().Add(e.T()).Values(outs...)))
}

// ReluSuffix ends the ID of a layer output that the generated package
// holds only through the relu fused into the layer (ir.Fuse): the values
// are max(output, 0).
const ReluSuffix = " relu"

func callNames(names []string) []jen.Code {
	out := make([]jen.Code, len(names))
	for i, n := range names {
		out[i] = jen.Id("m").Dot(n).Call()
	}
	return out
}
