package ir

import "github.com/nngen/nngen/spec"

// Fuse fuses a relu into the layer before it where that layer ends by
// adding its bias to the relu's input: z += b and a = max(z, 0) become one
// OpBiasRelu, a = max(a + b, 0), on the relu's output, into which the
// layer's product now writes. z is gone: nothing reads it after the
// forward pass (the relu's backward reads a, GradFromOutput), and its
// buffer was traffic, not work. On R5 (two convolutions, z 512 KB a layer
// for the batch, beyond L2 with a and the rest), the product writing a
// instead of z made ForwardBatch 1.08× faster, 1.12× with the pass moved
// next to each example's product (perExample): most of the 1.15× that
// leaving out the bias + relu pass altogether gave. A z that any other op
// reads (a residual's sum) is not fused. The layer's output for nngen
// verify is then only seen through the relu (LayerOut.Relu). The relu's
// forward function disappears; the fused one names it in Fused. In
// training, the activations' gradients work in place too (fuseGrads).
// The buffers left unused go to Program.Dropped. Compile verifies the
// program afterwards.
func Fuse(p *Program) {
	readers := zReaders(p)
	zs := map[*Buffer]bool{}
	p.Forward = fuseFuncs(p.Forward, readers, p.Outputs, zs)
	p.Forward1 = fuseFuncs(p.Forward1, readers, nil, zs)
	if p.Training() {
		p.Backward = fuseGrads(p, zs)
	}
	dropUnused(p, zs)
}

// zReaders counts the ops of every pass that read each buffer, but for
// bias adds and relus: those Fuse folds together.
func zReaders(p *Program) map[*Buffer]int {
	readers, _ := uses(p, func(op *Op) bool { return op.Kind == OpBias || op.Kind == OpAct && op.Act.Kind == spec.ReLU })
	return readers
}

// uses counts the ops of every pass that read and that write each
// buffer, leaving out those skip reports (nil: none).
func uses(p *Program, skip func(*Op) bool) (readers, writers map[*Buffer]int) {
	readers, writers = map[*Buffer]int{}, map[*Buffer]int{}
	p.eachOp(func(op *Op) {
		if skip != nil && skip(op) {
			return
		}
		for _, v := range op.reads() {
			if v.Buf != nil {
				readers[v.Buf]++
			}
		}
		for _, v := range op.Writes {
			if v.Buf != nil {
				writers[v.Buf]++
			}
		}
	})
	return readers, writers
}

// fuseFuncs fuses the relus of one pass, adding the z buffers it leaves
// to zs.
func fuseFuncs(fs []*Func, readers map[*Buffer]int, outs []LayerOut, zs map[*Buffer]bool) []*Func {
	var out []*Func
	for _, f := range fs {
		if n := len(out); n > 0 && fuse(out[n-1], f, readers, outs, zs) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// fuse folds relu function f into prev if prev's last op adds the bias to
// exactly the view f's relu reads, no other op of any pass reads z, and
// the relu's output is a buffer of z's size, so that prev can write it
// instead.
func fuse(prev, f *Func, readers map[*Buffer]int, outs []LayerOut, zs map[*Buffer]bool) bool {
	act := soleOp(f)
	if act == nil || act.Kind != OpAct || act.Act.Kind != spec.ReLU || prev.Fused != nil || len(prev.Blocks) == 0 {
		return false
	}
	last := &prev.Blocks[len(prev.Blocks)-1]
	if last.Batch != 0 || len(last.Ops) == 0 {
		return false
	}
	bias := last.Ops[len(last.Ops)-1]
	z, a := bias.Writes[0], act.Writes[0]
	if bias.Kind != OpBias || z != act.Reads[0] || readers[z.Buf] > 0 ||
		a.Buf.Size != z.Buf.Size || a.Off != z.Off || a.Len != z.Len || a.PerExample != z.PerExample {
		return false
	}
	rename([]*Func{prev}, z.Buf, a.Buf)
	op := &Op{Kind: OpBiasRelu, Act: act.Act, Layer: bias.Layer, Dims: bias.Dims,
		Writes: []View{a}, Reads: []View{a, bias.Reads[0]}}
	last.Ops[len(last.Ops)-1] = op
	perExample(prev, op)
	for i := range outs {
		if outs[i].Buf == z.Buf {
			outs[i].Buf, outs[i].Relu = a.Buf, true
		}
	}
	zs[z.Buf] = true
	prev.Fused = f.Layer
	return true
}

// perExample moves the fused op, the last of prev, into the batch loop
// before it where that loop's last op writes each example's z whole (a
// convolution's product): the pass then finds the example in L1. On R5,
// after the product wrote a in place, this made ForwardBatch another
// 1.04× faster.
func perExample(prev *Func, op *Op) {
	n, d := len(prev.Blocks), op.Dims
	if n < 2 || prev.Blocks[n-2].Batch != d[0] || len(prev.Blocks[n-1].Ops) != 1 {
		return
	}
	ex := &prev.Blocks[n-2]
	w := ex.Ops[len(ex.Ops)-1].Writes[0]
	if w.Buf != op.Writes[0].Buf || !w.PerExample || w.Off != 0 || w.Len != d[1]*d[2] {
		return
	}
	op.Dims = []int{1, d[1], d[2]}
	op.Writes, op.Reads = []View{w}, []View{w, op.Reads[1]}
	ex.Ops = append(ex.Ops, op)
	prev.Blocks = prev.Blocks[:n-1]
}

// fuseGrads makes each activation's gradient ∂J/∂z = σ'(·) ⊙ ∂J/∂a
// work in place on ∂J/∂a where nothing else reads ∂J/∂a, nothing writes
// it after, and nothing else writes ∂J/∂z: ∂J/∂z's buffer, whose readers
// then read ∂J/∂a's, goes to zs. Where the function before computes
// ∂J/∂a one example at a time (a convolution's input gradient), the
// gradient moves into that loop, right after each example's product,
// and its function disappears (the one before names it in Fused). On
// R5 (gradients of 512 KB a layer for the batch) Step ran 1.04× faster,
// on R4 1.02×, on R3 1.01× (AVX-512, alternated, best of 9).
func fuseGrads(p *Program, zs map[*Buffer]bool) []*Func {
	readers, writers := uses(p, nil)
	var out []*Func
	for i, f := range p.Backward {
		op := soleOp(f)
		if op == nil || op.Kind != OpActGrad {
			out = append(out, f)
			continue
		}
		dz, da := op.Writes[0], op.Reads[1]
		if readers[da.Buf] != 1 || writers[dz.Buf] != 1 || writesAfter(p.Backward[i+1:], da.Buf) ||
			dz.Buf.Size != da.Buf.Size || dz != whole(dz.Buf) || da != whole(da.Buf) {
			out = append(out, f)
			continue
		}
		rename(p.Backward, dz.Buf, da.Buf)
		readers[da.Buf] += readers[dz.Buf]
		writers[da.Buf] += writers[dz.Buf]
		zs[dz.Buf] = true
		if n := len(out); n > 0 && p.gradPerExample(out[n-1], op) {
			out[n-1].Fused, out[n-1].FusedDoc = f.Layer, f.Doc
			continue
		}
		out = append(out, f)
	}
	return out
}

// writesAfter reports whether any op of fs writes buf.
func writesAfter(fs []*Func, buf *Buffer) bool {
	writes := false
	eachOpIn(fs, func(op *Op) {
		for _, w := range op.Writes {
			writes = writes || w.Buf == buf
		}
	})
	return writes
}

// gradPerExample puts the in-place gradient op into prev's batch loop,
// right after the op that writes each example's ∂J/∂a, if prev touches
// ∂J/∂a nowhere else and does not fuse a gradient already.
func (p *Program) gradPerExample(prev *Func, op *Op) bool {
	da := op.Writes[0].Buf
	if prev.Fused != nil || !p.Ranged(prev) {
		return false
	}
	at, block := -1, -1
	for bi, b := range prev.Blocks {
		for oi, o := range b.Ops {
			for _, v := range o.views() {
				if v.Buf != da {
					continue
				}
				if at >= 0 || b.Batch != p.Batch || len(o.Writes) != 1 || o.Writes[0].Buf != da || v != o.Writes[0] {
					return false
				}
				at, block = oi, bi
			}
		}
	}
	if at < 0 {
		return false
	}
	b := &prev.Blocks[block]
	if w := b.Ops[at].Writes[0]; !w.PerExample || w.Off != 0 || w.Len != da.Size/p.Batch {
		return false // not each example's ∂J/∂a whole
	}
	b.Ops = append(b.Ops[:at+1], append([]*Op{p.PerExample(op)}, b.Ops[at+1:]...)...)
	return true
}

// rename moves the views of buffer from in the ops of fs to buffer to,
// in new slices: lowering may share an op's views with another's.
func rename(fs []*Func, from, to *Buffer) {
	moved := func(vs []View) []View {
		out := append([]View(nil), vs...)
		for i := range out {
			if out[i].Buf == from {
				out[i].Buf = to
			}
		}
		return out
	}
	eachOpIn(fs, func(op *Op) { op.Writes, op.Reads = moved(op.Writes), moved(op.Reads) })
}

// dropUnused removes the fused layers' z buffers that no op reads or
// writes any more (a pass whose relu did not fuse keeps its z) and records
// them in Dropped.
func dropUnused(p *Program, zs map[*Buffer]bool) {
	used := map[*Buffer]bool{}
	p.eachOp(func(op *Op) {
		for _, v := range op.views() {
			used[v.Buf] = true
		}
	})
	var work []*Buffer
	for _, b := range p.Work {
		if used[b] || !zs[b] {
			work = append(work, b)
		} else {
			p.Dropped = append(p.Dropped, b)
		}
	}
	p.Work = work
}

// soleOp is f's only op, or nil.
func soleOp(f *Func) *Op {
	if len(f.Blocks) != 1 || f.Blocks[0].Batch != 0 || len(f.Blocks[0].Ops) != 1 {
		return nil
	}
	return f.Blocks[0].Ops[0]
}
