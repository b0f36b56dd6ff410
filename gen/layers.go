package gen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
)

// layersFile holds one method per layer and direction, and the loss.
func (e *emitter) layersFile() *jen.File {
	f := e.newFile()
	for _, fn := range e.funcs() {
		if u := e.p.Units; u != nil && (fn == u.Forward || fn == u.Backward) {
			e.unitFunc(f, fn)
			continue
		}
		f.Comment(e.funcDoc(fn))
		recv := funcRecv(fn)
		var result jen.Code = jen.Null()
		if fn.Dir == ir.LossFwd {
			result = jen.Float64()
		}
		e.ranged = e.p.Ranged(fn)
		f.Func().Params(recv).Id(fn.Name).Params(e.funcParams(fn)...).Add(result).
			Block(e.funcBody(fn)...)
		e.ranged = false
		f.Line()
	}
	e.emitHelpers(f)
	e.emitRowHelpers(f)
	e.emitElemGenerics(f)
	return f
}

// funcs are the functions to emit: with batch 1 the batched forward pass
// already is the one-example pass.
func (e *emitter) funcs() []*ir.Func {
	fs := append([]*ir.Func(nil), e.p.Forward...)
	if e.p.Batch > 1 {
		fs = append(fs, e.p.Forward1...)
	}
	if e.train() {
		fs = append(fs, e.p.LossFwd, e.p.LossBwd)
	}
	return append(fs, e.p.Backward...)
}

// isForward reports whether fn is a forward-pass function: a method of
// forwardWork reading the parameters it is given, so that Workers can share
// one model's parameters.
func isForward(fn *ir.Func) bool { return fn.Dir == ir.Forward || fn.Dir == ir.Forward1 }

// isBatched reports whether fn runs over the batch, and so takes a row
// range [lo, hi) of it: every function but the one-example forward pass.
func isBatched(fn *ir.Func) bool { return fn.Dir != ir.Forward1 }

// forward1 are the functions Forward calls.
func (e *emitter) forward1() []*ir.Func {
	if e.p.Batch > 1 {
		return e.p.Forward1
	}
	return e.p.Forward
}

// funcDoc echoes the spec line: "dense2 backward (mnist.nn:7): ∂J/∂W = vᵀ·a (7.65)".
func (e *emitter) funcDoc(fn *ir.Func) string {
	if fn.Layer == nil {
		return fmt.Sprintf("%s — loss %s: %s", fn.Name, e.m.Loss, fn.Doc)
	}
	doc := e.layerDoc(fn)
	switch r := fn.Fused; {
	case r != nil && fn.Dir == ir.Backward:
		doc += fmt.Sprintf("; fused with %s backward: %s, in place, right after each example's product", r.ID, fn.FusedDoc)
	case r != nil:
		doc += fmt.Sprintf("; fused with %s: a = max{z, 0} (7.20) in the bias add's pass, the product written into a", r.ID)
	}
	return doc
}

// layerDoc is funcDoc without what a fused relu adds.
func (e *emitter) layerDoc(fn *ir.Func) string {
	what := fn.Dir.String()
	if fn.Dir == ir.Forward1 {
		what = "forward, one example"
	}
	return fmt.Sprintf("%s %s — %s: %s", fn.Layer.ID, what, fn.Layer.Statement(), fn.Doc)
}

// funcParams: forward functions take the parameters, backward ones the
// parameters, the forward workspace and the gradient, the loss the forward
// workspace and the targets; batched ones end with the batch input x if
// they read it (readsInput) and their rows lo, hi.
func (e *emitter) funcParams(fn *ir.Func) []jen.Code {
	fw := jen.Id("fw").Op("*").Id("forwardWork")
	var ps []jen.Code
	switch {
	case isForward(fn):
		ps = []jen.Code{params}
	case fn.Layer != nil:
		ps = []jen.Code{params, fw, jen.Id("grad").Op("*").Id("Params")}
	default:
		ps = []jen.Code{fw, jen.Id("y").Op("*").Add(e.targetArg())}
	}
	if isBatched(fn) {
		if readsInput(fn) {
			ps = append(ps, e.inputParam())
		}
		ps = append(ps, jen.List(jen.Id("lo"), jen.Id("hi")).Int())
	}
	return ps
}

// readsInput reports whether fn reads the batch input.
func readsInput(fn *ir.Func) bool {
	for _, b := range fn.Blocks {
		for _, op := range b.Ops {
			for _, v := range op.Reads {
				if v.Buf != nil && v.Buf.Kind == ir.Input {
					return true
				}
			}
		}
	}
	return false
}

// inputParam is the batch input parameter, x, of the functions that read
// it: the caller's batch itself, or its copy in fw.x (forwardWork.input).
func (e *emitter) inputParam() jen.Code {
	return jen.Id("x").Op("*").Add(e.arr(e.p.Input.Size))
}

// funcRecv is fn's receiver: the forward workspace for the forward
// passes, the workspace for the others.
func funcRecv(fn *ir.Func) *jen.Statement {
	if isForward(fn) {
		return jen.Id("fw").Op("*").Id("forwardWork")
	}
	return jen.Id("ws").Op("*").Id("workspace")
}

// funcBody declares a local for every buffer the function touches, then
// emits its blocks.
func (e *emitter) funcBody(fn *ir.Func) []jen.Code {
	body := e.locals(fn)
	for _, b := range fn.Blocks {
		body = append(body, e.block(b)...)
	}
	return body
}

// locals declares a local for every buffer fn touches but the batch input,
// a parameter of the batched functions (funcParams).
func (e *emitter) locals(fn *ir.Func) []jen.Code {
	var body []jen.Code
	seen := map[*ir.Buffer]bool{}
	for _, b := range fn.Blocks {
		for _, op := range b.Ops {
			for _, v := range append(append([]ir.View(nil), op.Writes...), op.Reads...) {
				if v.Buf != nil && !seen[v.Buf] {
					seen[v.Buf] = true
					if v.Buf.Kind == ir.Input && isBatched(fn) {
						continue // a parameter (funcParams)
					}
					body = append(body, jen.Id(local(v.Buf)).Op(":=").Add(e.bufExpr(v.Buf)))
				}
			}
		}
	}
	return body
}

// block emits a block's ops, inside a loop over the examples if it has one.
func (e *emitter) block(b ir.Block) []jen.Code {
	e.batch = b.Batch
	defer func() { e.batch = 0 }()
	build := func() []jen.Code {
		var ops []jen.Code
		for _, op := range b.Ops {
			ops = append(ops, e.op(op)...)
		}
		return ops
	}
	switch {
	case b.Batch > 1 && e.ranged:
		return []jen.Code{forRange("b", jen.Id("lo"), jen.Id("hi"), e.inLoop(build))}
	case b.Batch > 1:
		return []jen.Code{forLoop("b", 0, b.Batch, 1, e.inLoop(build))}
	case e.ranged:
		var ops []jen.Code
		for _, op := range b.Ops {
			ops = append(ops, e.rangedOp(op)...)
		}
		return ops
	}
	return build()
}
