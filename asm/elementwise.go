package asm

import (
	"sort"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/ir"
)

func uniqueElems(es []ir.Elementwise) []ir.Elementwise {
	seen := map[string]bool{}
	var out []ir.Elementwise
	for _, e := range es {
		if e.N > 0 && !seen[e.Name()] {
			seen[e.Name()] = true
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// Registers of the elementwise kernels.
var (
	regDst = reg.RAX
	regSrc = reg.RBX // src, or z
)

// ir.ReluGrad's g shares the update kernels' gradient register, regG.

// emitElem emits e's function for path s, shaped as emitUpdate.
func emitElem(ctx *build.Context, e ir.Elementwise, s isa, masks *maskTable) {
	ctx.Function(e.Name() + s.name)
	ctx.Attributes(attr.NOSPLIT)
	ctx.SignatureExpr(e.Signature())
	ctx.Doc(stubDoc(e.Name(), s)...)
	ctx.Pragma("noescape")
	k := newKB(ctx, ir.Matmul{DType: e.DType}, s, masks)
	if ir.IsLN(e.Op) {
		emitLayerNorm(k, e)
		return
	}
	if e.Op == ir.Pad {
		emitPad(k, e)
		return
	}
	if e.Op == ir.AddRows {
		emitAddRows(k, e)
		return
	}
	if e.Op == ir.Softmax {
		emitSoftmax(k, e)
		return
	}
	if e.UsesExp() {
		emitExpKernel(k, e)
		return
	}
	w := eb{kb: k, e: e, c: s.vec(0), mask: s.vec(1), zero: s.vec(10)}
	ptrs := []reg.Register{regDst, regSrc, regG}[:len(e.PtrParams())]
	for i, p := range e.PtrParams() {
		if e.Range && !e.RangeFixed(p) {
			k.Load(k.Param(p).Base(), ptrs[i])
			continue
		}
		k.Load(k.Param(p), ptrs[i])
	}
	if e.HasConst() {
		w.broadcastC()
	}
	if isReluOp(e.Op) {
		k.vzero(w.zero)
	}
	if e.Range {
		w.rows(ptrs)
		k.ret()
		return
	}
	if e.Op != ir.AddChanRelu {
		w.row(ptrs)
		k.ret()
		return
	}
	// Each channel: its bias broadcast, its N elements, then z and a moved
	// on to the next channel's.
	k.loop("chan", regTiles, e.Chans, func() {
		w.bcast(mem(regG, 0), w.c)
		moved := w.row(ptrs[:2])
		for _, r := range ptrs[:2] {
			k.addq(e.N*k.esize-moved, r)
		}
		k.addq(k.esize, regG)
	})
	k.ret()
}

// Registers of a range kernel: the elements of the first slice left, and
// the fixed row (AddRowRelu's b), which each row starts again from.
var (
	regRangeLeft = reg.R13
	regRangeRow  = reg.R14
)

// rows runs row over every row of the first slice, a whole number of them
// (a range kernel, ir.Elementwise.Range, its dispatcher checks): the
// slices move on a row, the fixed row back to its start. Rows of whole
// loop iterations without a fixed row are one run of elements, one loop.
func (w *eb) rows(ptrs []reg.Register) {
	k, n := w.kb, w.e.N
	params := w.e.PtrParams()
	block := updateUnroll * k.lanes
	if 1<<log2(block) != block {
		panic("asm: a range kernel's block of elements is not a power of two")
	}
	if len(w.e.RangeRows()) == len(params) && n%block == 0 {
		done := k.label("done")
		k.Load(k.Param(params[0]).Len(), regKCnt)
		k.SHRQ(operand.U8(log2(block)), regKCnt)
		k.JZ(operand.LabelRef(done))
		loop := k.label("elem")
		k.Label(loop)
		w.block(ptrs)
		k.DECQ(regKCnt)
		k.JNZ(operand.LabelRef(loop))
		k.Label(done)
		return
	}
	for i, p := range params {
		if w.e.RangeFixed(p) {
			k.MOVQ(ptrs[i], regRangeRow)
		}
	}
	k.Load(k.Param(params[0]).Len(), regRangeLeft)
	next, done := k.label("rows"), k.label("rowsdone")
	k.Label(next)
	k.CMPQ(regRangeLeft, operand.U32(n))
	k.JLT(operand.LabelRef(done))
	moved := w.row(ptrs)
	for i, p := range params {
		if w.e.RangeFixed(p) {
			k.MOVQ(regRangeRow, ptrs[i])
			continue
		}
		k.addq(n*k.esize-moved, ptrs[i])
	}
	k.SUBQ(operand.U32(n), regRangeLeft)
	k.JMP(operand.LabelRef(next))
	k.Label(done)
}

// row processes the N elements at ptrs, whole vectors in a loop of
// updateUnroll, then the rest and a masked tail; it returns the bytes the
// loop moved ptrs by.
func (w *eb) row(ptrs []reg.Register) int {
	k, vb := w.kb, w.s.vecBytes
	nvec, tl := w.e.N/k.lanes, w.e.N%k.lanes
	k.loop("elem", regKCnt, nvec/updateUnroll, func() { w.block(ptrs) })
	for q := 0; q < nvec%updateUnroll; q++ {
		w.vector(q*vb, 0, q)
	}
	if tl > 0 {
		w.vector(nvec%updateUnroll*vb, tl, 0)
	}
	return nvec / updateUnroll * updateUnroll * vb
}

// block processes updateUnroll whole vectors at ptrs and moves them on.
func (w *eb) block(ptrs []reg.Register) {
	for q := 0; q < updateUnroll; q++ {
		w.vector(q*w.s.vecBytes, 0, q)
	}
	for _, r := range ptrs {
		w.addq(updateUnroll*w.s.vecBytes, r)
	}
}

// isReluOp reports whether op computes a relu or its mask, against zero.
func isReluOp(op ir.ElemOp) bool {
	return op == ir.Relu || op == ir.ReluGrad || op == ir.AddRowRelu || op == ir.AddConstRelu || op == ir.AddChanRelu || op == ir.LeakyRelu || op == ir.LeakyReluGrad
}

// eb builds an elementwise kernel.
type eb struct {
	*kb
	e             ir.Elementwise
	c, mask, zero reg.VecPhysical
}

func (w *eb) broadcastC() { w.bcast(w.paramAddr("c"), w.c) }

// vector processes one vector at byte offset off (its first tl elements if
// tl > 0) with temporaries 2+2q and 3+2q.
func (w *eb) vector(off, tl, q int) {
	t, x := w.s.vec(2+2*q), w.s.vec(3+2*q)
	switch {
	case tl > 0 && !w.s.opmask:
		w.loadMask(tl, w.mask)
	case tl > 0:
		w.setOpmask(tl)
	}
	load := func(base reg.Register, v reg.VecPhysical) {
		if tl > 0 {
			w.maskedLoad(mem(base, off), w.mask, v)
		} else {
			w.vload(mem(base, off), v)
		}
	}
	switch w.e.Op {
	case ir.AddConst:
		load(regDst, t)
		w.vadd(w.c, t, t)
	case ir.AddRow:
		load(regDst, t)
		load(regSrc, x)
		w.vadd(x, t, t)
	case ir.Add:
		load(regSrc, t)
		load(regG, x)
		w.vadd(x, t, t)
	case ir.Relu:
		load(regSrc, t)
		w.relu(t)
	case ir.ReluGrad:
		load(regSrc, t)
		w.reluGrad(mem(regG, off), load, t, x)
	case ir.AddRowRelu, ir.AddConstRelu, ir.AddChanRelu:
		w.addRelu(load, t, x, off, tl)
		return
	case ir.SigmoidGrad: // a·(1 − a)·grad
		load(regSrc, t)
		w.vload(w.expConst(expOne), x)
		w.vsub(t, x, x)
		w.vmul(t, x, x)
		load(regG, t)
		w.vmul(x, t, t)
	case ir.LeakyRelu: // max(x, T(c·x)): the products have x's sign, so no ±0 pair
		load(regSrc, t)
		w.vmul(w.c, t, x)
		w.vmax(t, x, t)
	case ir.LeakyReluGrad: // T(f·grad), f = 1 where z > 0, else c
		w.leakyFactor(mem(regSrc, off), t, tl)
		load(regG, x)
		w.vmul(x, t, t)
	case ir.TanhGrad: // (1 − T(a·a))·grad
		load(regSrc, t)
		w.vmul(t, t, x)
		w.vload(w.expConst(expOne), t)
		w.vsub(x, t, t)
		load(regG, x)
		w.vmul(x, t, t)
	}
	w.store(t, mem(regDst, off), tl)
}

// addRelu is a = max(z + b (or c), 0); each vector of z is read before a's
// is written, so a may be z (ir.Fuse runs it in place).
func (w *eb) addRelu(load func(reg.Register, reg.VecPhysical), t, x reg.VecPhysical, off, tl int) {
	load(regDst, t)
	a := regSrc
	if w.e.Op == ir.AddRowRelu {
		load(regSrc, x)
		w.vadd(x, t, t)
		a = regG
	} else {
		w.vadd(w.c, t, t)
	}
	w.relu(t)
	w.store(t, mem(a, off), tl)
}

// store stores v at m, its first tl elements if tl > 0.
func (w *eb) store(v reg.VecPhysical, m operand.Mem, tl int) {
	if tl > 0 {
		w.maskedStore(v, w.mask, m)
	} else {
		w.vstore(v, m)
	}
}

// relu is t = max(t, 0) as Go's max computes it: MAXPS returns its second
// source when either is NaN or both are zero, so max(0, t) keeps NaN and −0,
// and adding +0 turns −0 into +0 (NaN stays NaN, anything else is exact).
func (w *eb) relu(t reg.VecPhysical) {
	w.vmax(t, w.zero, t)
	w.vadd(w.zero, t, t)
}

// cmpGTOQ is the ordered, quiet z > 0 predicate: false for NaN, as Go's >.
const cmpGTOQ = 0x1e

// reluGrad is t = g where t > 0, else +0: an AND with the compare mask
// (AVX2), or a zeroing load of g under it (AVX-512, whose tail lanes of t are
// zero and so fail the compare).
func (w *eb) reluGrad(g operand.Mem, load func(reg.Register, reg.VecPhysical), t, x reg.VecPhysical) {
	cmp, and, movz := w.VCMPPS, w.VANDPS, w.VMOVUPS_Z
	if w.f64() {
		cmp, and, movz = w.VCMPPD, w.VANDPD, w.VMOVUPD_Z
	}
	if w.s.opmask {
		cmp(operand.U8(cmpGTOQ), w.zero, t, reg.K2)
		movz(g, reg.K2, t)
		return
	}
	cmp(operand.U8(cmpGTOQ), w.zero, t, t)
	load(regG, x)
	and(x, t, t)
}

// cmpLTOQ is the ordered, quiet 0 < z predicate (z the memory operand).
const cmpLTOQ = 0x11

// leakyFactor sets f to 1 where the z at m is > 0, else to c (NaN fails
// the ordered compare, as Go's >); tl > 0: a tail, whose lanes past the
// row were loaded as 0.
func (w *eb) leakyFactor(m operand.Mem, f reg.VecPhysical, tl int) {
	cmp, blendK, blendV := w.VCMPPS, w.VBLENDMPS, w.VBLENDVPS
	if w.f64() {
		cmp, blendK, blendV = w.VCMPPD, w.VBLENDMPD, w.VBLENDVPD
	}
	var mask operand.Op = f
	if w.s.opmask {
		mask = reg.K2
	}
	if tl > 0 { // compare the loaded lanes, not memory past the row
		w.maskedLoad(m, w.mask, f)
		cmp(operand.U8(cmpGTOQ), w.zero, f, mask)
	} else {
		cmp(operand.U8(cmpLTOQ), m, w.zero, mask)
	}
	if w.s.opmask {
		blendK(w.expConst(expOne), w.c, reg.K2, f)
	} else {
		blendV(f, w.expConst(expOne), w.c, f)
	}
}
