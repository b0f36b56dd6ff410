package gen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/asm"
	"github.com/nngen/nngen/ir"
)

// minSIMDRow is the shortest row whose add runs an assembly kernel
// (asm.Elementwise); shorter rows stay in Go, where the dispatch would cost
// about as much as the loop.
const minSIMDRow = 32

// Elementwise kernels are emitted per length, as the SGD updates are: the
// generated code only ever adds rows of a few fixed lengths, and a compiled-in
// length leaves the kernel no count to test or tail mask to compute.

// addRowCall is dst[di:][:n] += src[si:][:n].
func (e *emitter) addRowCall(dst ir.View, di ix, src ir.View, si ix, n int) jen.Code {
	if n < minSIMDRow {
		return e.callRow("addRow", e.span(dst, di, n), e.from(src, si))
	}
	k := e.useElem(asm.AddRow, n)
	return jen.Id(k.Name()).Call(e.rowPtr(dst, di, n), e.rowPtr(src, si, n))
}

// addConstCall is v[vi:][:n] += c.
func (e *emitter) addConstCall(v ir.View, vi ix, n int, c jen.Code) jen.Code {
	if n < minSIMDRow {
		return e.callRow("addConst", e.span(v, vi, n), c)
	}
	k := e.useElem(asm.AddConst, n)
	return jen.Id(k.Name()).Call(e.rowPtr(v, vi, n), c)
}

func (e *emitter) useElem(op asm.ElemOp, n int) asm.Elementwise {
	k := asm.Elementwise{Op: op, DType: e.m.DType, N: n}
	e.elems[k.Name()] = k
	return k
}

// elemKernels lists the elementwise kernels the emitted code called.
func (e *emitter) elemKernels() []asm.Elementwise {
	var ks []asm.Elementwise
	for _, name := range sortedKeys(e.elems) {
		ks = append(ks, e.elems[name])
	}
	return ks
}

// emitElemGenerics emits each elementwise kernel's Generic twin: the loop
// of its doc comment.
func (e *emitter) emitElemGenerics(f *jen.File) {
	for _, k := range e.elemKernels() {
		loop := k.ReferenceLoop()
		comment(f, fmt.Sprintf("%sGeneric is the row operation\n\n%s", k.Name(), strings.Join(loop, "\n")))
		params := strings.TrimSuffix(strings.TrimPrefix(k.Signature(), "func("), ")")
		f.Func().Id(k.Name() + "Generic").Params(jen.Op(params)).Block(jen.Op(strings.Join(loop, "\n")))
		f.Line()
	}
}
