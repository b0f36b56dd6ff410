package gen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

// emitter holds what every part of the emission needs.
type emitter struct {
	m          *spec.Model
	p          *ir.Program
	opts       Options
	helpers    map[string]bool     // scalar helper functions used, emitted once
	rowHelpers map[string]bool     // row helper functions used, emitted once
	elemsUsed  map[string]bool     // the chosen elementwise kernels the emitted code called
	batch      int                 // batch count of the block being emitted (0: none)
	looping    bool                // emitting inside a runtime loop
	fwd        map[*ir.Buffer]bool // buffers of the forward workspace (forwardWork)
	ranged     bool                // emitting a batched function: it runs rows [lo, hi) of the batch
	zeroed     bool                // the gradient sums of the op being emitted are already zeroed (ranges.go)
}

func newEmitter(m *spec.Model, opts Options) (*emitter, error) {
	if opts.Package == "" {
		opts.Package = m.Name
	}
	if opts.UnrollMax <= 0 {
		opts.UnrollMax = DefaultUnrollMax
	}
	if opts.Unroll <= 0 {
		opts.Unroll = DefaultUnroll
	}
	if opts.Mode == "" {
		opts.Mode = ModeTrain
	}
	if opts.Unroll > MaxUnroll {
		return nil, fmt.Errorf("unroll %d is over the limit of %d", opts.Unroll, MaxUnroll)
	}
	if opts.Mode != ModeTrain && opts.Mode != ModeInfer {
		return nil, fmt.Errorf("mode %q: want %s or %s", opts.Mode, ModeTrain, ModeInfer)
	}
	p, err := ir.Compile(m, ir.Options{Infer: opts.Mode == ModeInfer, UnrollMax: opts.UnrollMax})
	if err != nil {
		return nil, err
	}
	e := &emitter{m: m, p: p, opts: opts, helpers: map[string]bool{}, rowHelpers: map[string]bool{},
		elemsUsed: map[string]bool{}, fwd: p.ForwardBuffers()}
	return e, nil
}

// train reports whether the package trains (has Loss, Backward, Step).
func (e *emitter) train() bool { return e.p.Training() }

// T is the element type.
func (e *emitter) T() *jen.Statement {
	if e.m.DType == spec.Float64 {
		return jen.Float64()
	}
	return jen.Float32()
}

func (e *emitter) is64() bool { return e.m.DType == spec.Float64 }

// arr is the type [n]T.
func (e *emitter) arr(n int) *jen.Statement { return jen.Index(jen.Lit(n)).Add(e.T()) }

// shaped is T, [d0]T, [d0][d1]T… for a shape.
func (e *emitter) shaped(s spec.Shape) *jen.Statement {
	t := jen.Null()
	for _, d := range s {
		t.Index(jen.Lit(d))
	}
	return t.Add(e.T())
}

// f64 converts a T expression to float64 (nothing to do for float64).
func (e *emitter) f64(c jen.Code) *jen.Statement {
	if e.is64() {
		return jen.Add(c)
	}
	return jen.Float64().Call(c)
}

// toT converts a float64 expression to T.
func (e *emitter) toT(c jen.Code) *jen.Statement {
	if e.is64() {
		return jen.Add(c)
	}
	return jen.Float32().Call(c)
}

// math is math.fn(args…) evaluated in float64 and converted back to T.
func (e *emitter) math(fn string, args ...jen.Code) *jen.Statement {
	conv := make([]jen.Code, len(args))
	for i, a := range args {
		conv[i] = e.f64(a)
	}
	return e.toT(jen.Qual("math", fn).Call(conv...))
}

// flatView is the expression for a nested array as a flat *[n]T: the array
// itself when it is already one-dimensional, else an unsafe view of the
// same memory (Go arrays are contiguous, so the layouts agree).
func (e *emitter) flatView(addr *jen.Statement, shape spec.Shape) *jen.Statement {
	if len(shape) == 1 {
		return jen.Op("&").Add(addr)
	}
	return e.unsafeView(jen.Op("&").Add(addr), shape.Size())
}

// unsafeView is (*[n]T)(unsafe.Pointer(ptr)).
func (e *emitter) unsafeView(ptr jen.Code, n int) *jen.Statement {
	return jen.Parens(jen.Op("*").Add(e.arr(n))).Call(jen.Qual("unsafe", "Pointer").Call(ptr))
}

// local is the Go name of a buffer inside a layer function.
func local(b *ir.Buffer) string {
	switch b.Kind {
	case ir.Param:
		return lowerFirst(b.Name)
	case ir.Grad:
		return "d" + b.Name
	}
	return b.Name
}

func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

// bufExpr is where a buffer lives, as a *[Size]T, inside a layer function:
// every one takes the parameters, the workspaces and the gradient it works
// on (params, fw, ws, grad), so that each thread of SetThreads runs the
// same functions on state of its own.
func (e *emitter) bufExpr(b *ir.Buffer) *jen.Statement {
	switch {
	case b.Kind == ir.Param:
		return e.flatView(jen.Id("params").Dot(b.Name), b.Param.Shape)
	case b.Kind == ir.Grad:
		return e.flatView(jen.Id("grad").Dot(b.Name), b.Param.Shape)
	case e.fwd[b]:
		return jen.Op("&").Id("fw").Dot(b.Name)
	}
	return jen.Op("&").Id("ws").Dot(b.Name)
}

// base is the index of a view's first element, moving with the batch loop.
func (e *emitter) base(v ir.View) ix {
	b := lit(v.Off)
	if v.PerExample && e.batch > 1 {
		b = b.add(vr("b").times(v.Len))
	}
	return b
}

// at is element i of a view.
func (e *emitter) at(v ir.View, i ix) *jen.Statement {
	return jen.Id(local(v.Buf)).Index(e.base(v).add(i).code())
}

// arg is a view as a *[Len]T argument.
func (e *emitter) arg(v ir.View) jen.Code {
	if !v.PerExample && v.Off == 0 && v.Len == v.Buf.Size {
		return jen.Id(local(v.Buf))
	}
	start := e.base(v)
	lo := jen.Empty()
	if !(start.isConst() && start.k == 0) {
		lo = start.code()
	}
	return jen.Parens(jen.Op("*").Add(e.arr(v.Len))).Call(jen.Id(local(v.Buf)).Index(lo, jen.Empty()))
}
