package gen

import (
	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

var (
	mRecv = jen.Id("m").Op("*").Id("Model")
	xB    = jen.Id("x").Op("*").Index(jen.Id("BatchSize")).Id("Input")
	yB    = jen.Id("y").Op("*").Index(jen.Id("BatchSize")).Id("Target")
)

func ws(name string) *jen.Statement { return jen.Id("m").Dot("ws").Dot(name) }

// calls is m.f1(); m.f2(); … for every function.
func calls(fs []*ir.Func) []jen.Code {
	out := make([]jen.Code, len(fs))
	for i, f := range fs {
		out[i] = jen.Id("m").Dot(f.Name).Call()
	}
	return out
}

// loadBatch copies the batch into the workspace; copying (rather than
// keeping x) keeps callers' arrays from escaping to the heap.
func (e *emitter) loadBatch() jen.Code {
	return ws("x").Op("=").Op("*").Add(e.unsafeView(jen.Id("x"), e.p.Input.Size))
}

// yArg is the targets as the loss functions take them.
func (e *emitter) yArg() jen.Code {
	if e.m.Loss == spec.MSE {
		return e.unsafeView(jen.Id("y"), e.m.Batch*e.m.Output.Size())
	}
	return jen.Id("y")
}

func (e *emitter) emitEntryPoints(f *jen.File) {
	in, out := e.m.Input.Size(), e.m.Output.Size()
	f.Comment("Forward runs the network on one example (7.72).")
	f.Func().Params(mRecv).Id("Forward").Params(jen.Id("x").Op("*").Id("Input"), jen.Id("out").Op("*").Id("Output")).Block(
		append(append([]jen.Code{
			jen.Op("*").Parens(jen.Op("*").Add(e.arr(in))).Call(ws("x").Index(jen.Empty(), jen.Empty())).Op("=").Op("*").Add(e.unsafeView(jen.Id("x"), in)),
		}, calls(e.forward1())...),
			jen.Op("*").Add(e.unsafeView(jen.Id("out"), out)).Op("=").Op("*").Parens(jen.Op("*").Add(e.arr(out))).Call(ws(e.p.Output.Name).Index(jen.Empty(), jen.Empty())),
		)...)
	f.Line()
	f.Comment("ForwardBatch runs the network on a batch, keeping every activation.")
	f.Func().Params(mRecv).Id("ForwardBatch").Params(xB, jen.Id("out").Op("*").Index(jen.Id("BatchSize")).Id("Output")).Block(
		e.loadBatch(),
		jen.Id("m").Dot("forward").Call(),
		jen.Op("*").Add(e.unsafeView(jen.Id("out"), e.p.Output.Size)).Op("=").Add(ws(e.p.Output.Name)),
	)
	f.Line()
	f.Comment("forward is the forward pass over the batch in the workspace, layer by layer in spec order.")
	f.Func().Params(mRecv).Id("forward").Params().Block(calls(e.p.Forward)...)
	f.Line()
	f.Comment("Loss returns J, the mean of the batch's losses (7.2).")
	f.Func().Params(mRecv).Id("Loss").Params(xB, yB).Add(e.T()).Block(
		e.loadBatch(),
		jen.Id("m").Dot("forward").Call(),
		jen.Id("m").Dot(e.p.LossFwd.Name).Call(e.yArg()),
		jen.Return(ws(e.p.Loss.Name).Index(jen.Lit(0))),
	)
	f.Line()
	f.Comment("Backward returns J and leaves ∇J in m.Grad (Algorithm 3); it never touches the momentum.")
	f.Func().Params(mRecv).Id("Backward").Params(xB, yB).Add(e.T()).Block(
		jen.Id("j").Op(":=").Id("m").Dot("Loss").Call(jen.Id("x"), jen.Id("y")),
		jen.Id("m").Dot(e.p.LossBwd.Name).Call(e.yArg()),
		jen.Id("m").Dot("backward").Call(),
		jen.Return(jen.Id("j")),
	)
	f.Line()
	f.Comment("backward is the reverse sweep, each layer's parameter gradients as soon as its output gradient is known (§7.4.2).")
	f.Func().Params(mRecv).Id("backward").Params().Block(calls(e.p.Backward)...)
	f.Line()
	f.Comment("Step runs Backward, then one SGD step; it returns J before the step.")
	f.Func().Params(mRecv).Id("Step").Params(xB, yB).Add(e.T()).Block(
		jen.Id("j").Op(":=").Id("m").Dot("Backward").Call(jen.Id("x"), jen.Id("y")),
		jen.Id("m").Dot("update").Call(),
		jen.Return(jen.Id("j")),
	)
	f.Line()
}

func callNames(names []string) []jen.Code {
	out := make([]jen.Code, len(names))
	for i, n := range names {
		out[i] = jen.Id("m").Dot(n).Call()
	}
	return out
}

// emitLayerOutputs emits the hook nngen verify compares with the reference:
// after ForwardBatch, each layer's batch output (B-major), in ref.Trace order.
func (e *emitter) emitLayerOutputs(f *jen.File) {
	var ids, outs []jen.Code
	for _, o := range e.p.Outputs {
		ids = append(ids, jen.Lit(o.ID))
		outs = append(outs, ws(o.Buf.Name).Index(jen.Empty(), jen.Empty()))
	}
	f.Comment("layerOutputs returns, after ForwardBatch, every layer's batch output, for nngen verify.")
	f.Func().Params(mRecv).Id("layerOutputs").Params().Params(jen.Index().String(), jen.Index().Index().Add(e.T())).Block(
		jen.Return(jen.Index().String().Values(ids...), jen.Index().Index().Add(e.T()).Values(outs...)))
}
