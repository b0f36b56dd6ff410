package ir

import (
	"errors"
	"fmt"
)

// Verify checks p's invariants: every view lies inside its buffer, matmul
// operands have the lengths their shape implies, every buffer is written
// before it is read (following the order Forward, LossFwd, LossBwd,
// Backward, and separately Forward1), every layer output is produced by the
// forward pass and every gradient by the backward pass, and the buffers
// add up to what spec.Model.Memory says (the checker's limit uses it).
func Verify(p *Program) error {
	var errs []error
	v := &verifier{p: p, written: p.initial(), errs: &errs}
	v.memory()
	for _, f := range p.Forward {
		v.fn(f)
	}
	for _, o := range p.Outputs {
		if !v.written[o.Buf] {
			v.errorf("layer %q: output %s never written", o.ID, o.Buf.Name)
		}
	}
	if p.Training() {
		for _, f := range append([]*Func{p.LossFwd, p.LossBwd}, p.Backward...) {
			v.fn(f)
		}
	}
	for _, g := range p.Grads {
		if !v.written[g] {
			v.errorf("gradient of %s never written", g.Name)
		}
	}
	v.padsOnly()
	v1 := &verifier{p: p, written: p.initial(), errs: &errs}
	for _, f := range p.Forward1 {
		v1.fn(f)
	}
	if !v1.written[p.Output] {
		v1.errorf("batch-1 forward never writes the output %s", p.Output.Name)
	}
	return errors.Join(errs...)
}

// padsOnly checks that a pad that leaves its borders as the zeroed
// workspace holds them (PadStep.Border) is its buffer's only kind of
// writer (sharedPads).
func (v *verifier) padsOnly() {
	writers := padWriters(v.p)
	v.p.eachOp(func(op *Op) {
		if op.Kind == OpPad && !op.Borders && len(writers[op.Writes[0].Buf]) > 1 {
			v.errorf("%s is written by a pad and by another op or pad geometry: the pad's borders would not stay zero", op.Writes[0].Buf.Name)
		}
	})
}

// sharedPads sets Borders on the pads whose buffer another op, or a pad
// of another geometry, writes too, and clears it on the others: R4-like
// networks share none, but a 5×5 convolution's forward pass pads into the
// columns its weight gradient's im2col fills (in training only).
func sharedPads(p *Program) {
	writers := padWriters(p)
	p.eachOp(func(op *Op) {
		if op.Kind == OpPad {
			op.Borders = len(writers[op.Writes[0].Buf]) > 1
		}
	})
}

// padWriters maps each buffer to the kinds of op that write it: a pad's
// geometry, or "" for any other op.
func padWriters(p *Program) map[*Buffer]map[string]bool {
	writers := map[*Buffer]map[string]bool{}
	p.eachOp(func(op *Op) {
		g := ""
		if op.Kind == OpPad {
			g = fmt.Sprintf("pad %s of %d channels", op.Conv.padKey(), op.Conv.C)
		}
		for _, w := range op.Writes {
			if w.Buf != nil {
				if writers[w.Buf] == nil {
					writers[w.Buf] = map[string]bool{}
				}
				writers[w.Buf][g] = true
			}
		}
	})
	return writers
}

// initial is what is written before a schedule starts: input and parameters.
func (p *Program) initial() map[*Buffer]bool {
	w := map[*Buffer]bool{p.Input: true}
	for _, b := range p.Params {
		w[b] = true
	}
	return w
}

type verifier struct {
	p       *Program
	fname   string
	written map[*Buffer]bool
	errs    *[]error
}

func (v *verifier) errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if v.fname != "" {
		msg = v.fname + ": " + msg
	}
	*v.errs = append(*v.errs, errors.New(msg))
}

func (v *verifier) fn(f *Func) {
	if f == nil {
		v.errorf("missing function")
		return
	}
	v.fname = f.Name
	for _, b := range f.Blocks {
		for _, op := range b.Ops {
			v.op(op, b.Batch)
		}
	}
	v.fname = ""
}

func (v *verifier) op(op *Op, batch int) {
	want := arity[op.Kind]
	if op.Kind == OpLNGrad && op.Writes[0].Buf == nil {
		want[0] = 2 // no gradient to the input: σ and γ are not read
	}
	if len(op.Reads) != want[0] || len(op.Writes) != want[1] {
		v.errorf("%s: %d reads and %d writes, want %d and %d", op.Kind, len(op.Reads), len(op.Writes), want[0], want[1])
		return
	}
	for _, r := range op.reads() {
		v.view(op, r, batch)
		if r.Buf != nil && !v.written[r.Buf] {
			v.errorf("%s reads %s before it is written", op.Kind, r.Buf.Name)
		}
	}
	for _, w := range op.Writes {
		v.view(op, w, batch)
		if w.Buf != nil && (w.Buf.Kind == Param || w.Buf.Kind == Input) {
			v.errorf("%s writes read-only %s", op.Kind, w.Buf.Name)
		}
	}
	if op.Kind == OpMatmul {
		v.matmul(op)
	}
	v.shapes(op)
	for _, w := range op.Writes {
		if w.Buf != nil {
			v.written[w.Buf] = true
		}
	}
}

// reads are the views an op reads, including the destinations it adds to.
func (op *Op) reads() []View {
	rs := op.Reads
	scales := op.Kind == OpLossGrad && op.Reads[1].Buf != nil // cross-entropy's, of OpLoss's exponentials
	if op.Kind == OpAddTo || op.Kind == OpBias || op.Kind == OpMatmul && op.Matmul.Accumulate || scales {
		rs = append(append([]View(nil), rs...), op.Writes[0])
	}
	return rs
}

// arity is the number of reads and writes of each kind.
var arity = [numOpKinds][2]int{
	OpMatmul: {2, 1}, OpZero: {0, 1}, OpCopy: {1, 1}, OpAdd: {2, 1}, OpAddTo: {1, 1},
	OpBias: {1, 1}, OpBiasGrad: {1, 1}, OpAct: {1, 1}, OpActGrad: {2, 1},
	OpIm2col: {1, 1}, OpCol2im: {1, 1}, OpLayerNorm: {3, 3}, OpLNGrad: {4, 3},
	OpLoss: {1, 3}, OpLossGrad: {2, 1}, OpBiasRelu: {2, 1},
	OpPool: {1, 1}, OpPoolGrad: {2, 1}, OpPad: {1, 1},
}

// optional reports whether w is a view that op may leave without a buffer:
// LNGrad's ∂z (no gradient to the input), the loss's softmax scale and
// exponentials (no cross-entropy) and mean pooling's z (its gradient does
// not depend on it).
func optional(op *Op, w View) bool {
	switch op.Kind {
	case OpLNGrad:
		return w == op.Writes[0]
	case OpLoss:
		return w == op.Writes[1] || w == op.Writes[2]
	case OpLossGrad: // the logits (cross-entropy reads the loss's exponentials instead) or the scale
		return w == op.Reads[0] && op.Reads[1].Buf != nil || w == op.Reads[1] && op.Reads[0].Buf != nil
	case OpPoolGrad:
		return w == op.Reads[1] && !op.Pool.Max
	}
	return false
}

func (v *verifier) view(op *Op, w View, batch int) {
	if w.Buf == nil {
		if !optional(op, w) {
			v.errorf("%s: view of no buffer", op.Kind)
		}
		return
	}
	end := w.Off + w.Len
	if w.PerExample {
		if batch == 0 {
			v.errorf("%s: per-example view of %s outside a batch loop", op.Kind, w.Buf.Name)
		}
		end = w.Off + batch*w.Len
	}
	if w.Off < 0 || w.Len <= 0 || end > w.Buf.Size {
		v.errorf("%s: view [%d:%d] outside %s of %d elements", op.Kind, w.Off, end, w.Buf.Name, w.Buf.Size)
	}
}

func (v *verifier) matmul(op *Op) {
	mm := op.Matmul
	if mm.Examples > 0 && (!mm.Windowed() || !mm.TransB || mm.TransA) {
		v.errorf("%s: only a windowed NT product is summed over examples", mm.Name())
	}
	lens := [3][2]int{{op.Writes[0].Len, mm.M * mm.N}, {op.Reads[0].Len, mm.ALen()}, {op.Reads[1].Len, mm.BLen()}}
	for i, l := range lens {
		if l[0] != l[1] {
			v.errorf("%s: operand %c has %d elements, want %d", mm.Name(), "CAB"[i], l[0], l[1])
		}
	}
}

// memory checks that the buffers, with those Fuse dropped, are the size
// spec.Model.Memory computes from the spec, which the checker holds to
// its limit (a bound: fusing only ever takes buffers away).
func (v *verifier) memory() {
	want := v.p.Model.Memory(v.p.Training())
	var params, work int64
	for _, b := range append(append([]*Buffer(nil), v.p.Params...), v.p.Grads...) {
		params += int64(b.Size)
	}
	if v.p.Training() {
		params += int64(v.p.Model.Optimizer.State()) * int64(v.p.Model.Total().Params)
	}
	for _, b := range append(append([]*Buffer{v.p.Input}, v.p.Work...), v.p.Dropped...) {
		work += int64(b.Size)
	}
	if params != want.Params || work != want.Work {
		v.errorf("buffers: parameters %d and workspace %d elements, spec.Model.Memory says %d and %d",
			params, work, want.Params, want.Work)
	}
}
