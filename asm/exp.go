package asm

import (
	"math"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

// The sigmoid and tanh kernels: eˣ as ir.ExpSource computes it, one
// instruction per Go operation in the same order, so that assembly and
// Generic agree bit for bit. The constants come from a table of vectors
// (nngenExp32, nngenExp64), each broadcast over 64 bytes so that either
// path reads a whole vector from its slot.

// Slots of the constant table.
const (
	expLo = iota
	expHi
	expLog2e
	expMagic
	expC1
	expC2
	expOne
	expTwo
	expSign // −0: the sign bit alone, for negation
	expP    // the polynomial, highest degree first; then tanh's limit, P and Q
)

// expValues are the table's constants in slot order.
func expValues(t spec.DType) []float64 {
	c := ir.ExpConstsOf(t)
	v := []float64{c.Lo, c.Hi, c.Log2e, c.Magic, c.C1, c.C2, 1, 2, math.Copysign(0, -1)}
	v = append(v, c.P...)
	v = append(v, c.TanhLimit)
	v = append(v, c.TanhP...)
	return append(v, c.TanhQ...)
}

// tanhSlots are the slots of tanh's limit, its P and its Q.
func tanhSlots(t spec.DType) (limit, p, q int) {
	c := ir.ExpConstsOf(t)
	limit = expP + len(c.P)
	return limit, limit + 1, limit + 1 + len(c.TanhP)
}

// expSym is the table of vectors of dtype t.
func expSym(t spec.DType) operand.Mem { return tableSym("nngenExp", t) }

// tableSym is the static symbol base32 or base64, by t's width.
func tableSym(base string, t spec.DType) operand.Mem {
	name := base + "32"
	if t == spec.Float64 {
		name = base + "64"
	}
	return operand.Mem{Symbol: operand.NewStaticSymbol(name), Base: reg.StaticBase}
}

// openTable starts sym's read-only DATA.
func openTable(ctx *build.Context, sym operand.Mem) {
	ctx.StaticGlobal(sym.Symbol.Name)
	ctx.DataAttributes(attr.RODATA | attr.NOPTR)
}

// emitExpTable appends the constant table of dtype t.
func emitExpTable(ctx *build.Context, t spec.DType) {
	openTable(ctx, expSym(t))
	for _, v := range expValues(t) {
		for range 64 / elemSize(t) {
			if t == spec.Float64 {
				ctx.AppendDatum(operand.U64(math.Float64bits(v)))
			} else {
				ctx.AppendDatum(operand.U32(math.Float32bits(float32(v))))
			}
		}
	}
}

// xb builds a sigmoid or tanh kernel, or the softmax's eˣ.
type xb struct {
	*kb
	e    ir.Elementwise
	mask reg.VecPhysical
	// bcst: eˣ's constants come from the broadcast table (one element a
	// slot, nngenExpB32 or nngenExpB64) by AVX-512's embedded broadcast,
	// not from the table of vectors: 11 DATA lines for float32 instead of
	// 336, for a file that has no other use for the table.
	bcst bool
}

// expBSym is the broadcast table of dtype t.
func expBSym(t spec.DType) operand.Mem { return tableSym("nngenExpB", t) }

// emitExpBTable appends the broadcast table of dtype t: its constants in
// slot order, two float32 or one float64 to a DATA line.
func emitExpBTable(ctx *build.Context, t spec.DType) {
	openTable(ctx, expBSym(t))
	v := expValues(t)
	if t == spec.Float64 {
		for _, x := range v {
			ctx.AppendDatum(operand.U64(math.Float64bits(x)))
		}
		return
	}
	if len(v)%2 == 1 {
		v = append(v, 0)
	}
	for i := 0; i < len(v); i += 2 {
		lo, hi := math.Float32bits(float32(v[i])), math.Float32bits(float32(v[i+1]))
		ctx.AppendDatum(operand.U64(uint64(hi)<<32 | uint64(lo)))
	}
}

// cb is constant slot i of the broadcast table, which the file then carries.
func (w *xb) cb(i int) operand.Mem {
	if w.f64() {
		w.masks.expB64 = true
	} else {
		w.masks.expB32 = true
	}
	return expBSym(w.m.DType).Offset(i * w.esize)
}

// cload loads constant slot i into every lane of v.
func (w *xb) cload(i int, v reg.VecPhysical) {
	if w.bcst {
		w.bcast(w.cb(i), v)
		return
	}
	w.vload(w.c(i), v)
}

// cop is dst = op(x, constant slot i) for op one of multiply, add,
// subtract: vec its form taking the table's vector, bcst its float32 and
// float64 embedded-broadcast forms.
func (w *xb) cop(i int, x, dst operand.Op, vec func(y, x, dst operand.Op), bcst [2]func(...operand.Op)) {
	if !w.bcst {
		vec(w.c(i), x, dst)
		return
	}
	f := bcst[0]
	if w.f64() {
		f = bcst[1]
	}
	f(w.cb(i), x, dst)
}

func (w *xb) cmul(i int, x, dst operand.Op) {
	w.cop(i, x, dst, w.vmul, [2]func(...operand.Op){w.VMULPS_BCST, w.VMULPD_BCST})
}

func (w *xb) cadd(i int, x, dst operand.Op) {
	w.cop(i, x, dst, w.vadd, [2]func(...operand.Op){w.VADDPS_BCST, w.VADDPD_BCST})
}

func (w *xb) csub(i int, x, dst operand.Op) {
	w.cop(i, x, dst, w.vsub, [2]func(...operand.Op){w.VSUBPS_BCST, w.VSUBPD_BCST})
}

// cpsub is the integer dst = x − constant slot i (its bits), per element.
func (w *xb) cpsub(i int, x, dst operand.Op) {
	switch {
	case w.f64() && w.bcst:
		w.VPSUBQ_BCST(w.cb(i), x, dst)
	case w.f64():
		w.VPSUBQ(w.c(i), x, dst)
	case w.bcst:
		w.VPSUBD_BCST(w.cb(i), x, dst)
	default:
		w.VPSUBD(w.c(i), x, dst)
	}
}

// c is constant slot i of the table.
func (w *xb) c(i int) operand.Mem { return w.expConst(i) }

// expConst is constant slot i of the table of k's dtype, which the file
// then carries.
func (k *kb) expConst(i int) operand.Mem {
	if k.f64() {
		k.masks.exp64 = true
	} else {
		k.masks.exp32 = true
	}
	return expSym(k.m.DType).Offset(i * 64)
}

// expRegs is the vector registers one vector's computation takes: x and
// eˣ's four temporaries, and for tanh s = x² and its small-x result p, q.
func expRegs(op ir.ElemOp) int {
	if op == ir.Tanh {
		return 8
	}
	return 5
}

// emitExpKernel emits the body of a sigmoid or tanh kernel (the function
// is open, as emitElem opens it): a loop of u vectors at a time, the rest
// one by one, then a masked tail.
func emitExpKernel(k *kb, e ir.Elementwise) {
	w := xb{kb: k, e: e, mask: k.s.vec(0)}
	k.Load(k.Param("dst"), regDst)
	k.Load(k.Param("src"), regSrc)
	u := (k.s.nregs - 1) / expRegs(e.Op)
	nvec, tl := e.N/k.lanes, e.N%k.lanes
	vb := k.s.vecBytes
	k.loop("exp", regKCnt, nvec/u, func() {
		for q := range u {
			w.vector(q*vb, 0, q)
		}
		k.addq(u*vb, regDst)
		k.addq(u*vb, regSrc)
	})
	for q := range nvec % u {
		w.vector(q*vb, 0, q)
	}
	if tl > 0 {
		w.vector(nvec%u*vb, tl, 0)
	}
	k.ret()
}

// vector computes one vector at byte offset off (its first tl elements if
// tl > 0) in registers 1+nq … n+nq, n = expRegs.
func (w *xb) vector(off, tl, q int) {
	n := expRegs(w.e.Op)
	r := func(i int) reg.VecPhysical { return w.s.vec(1 + n*q + i) }
	x := r(0)
	if tl > 0 && !w.s.opmask {
		w.loadMask(tl, w.mask)
	} else if tl > 0 {
		w.setOpmask(tl)
	}
	if tl > 0 {
		w.maskedLoad(mem(regSrc, off), w.mask, x)
	} else {
		w.vload(mem(regSrc, off), x)
	}
	if w.e.Op == ir.Sigmoid { // −x
		w.ixor(w.c(expSign), x, x)
	} else { // tanh(x) for x² < limit; then x + x
		w.tanhSmall(x, r(5), r(6), r(7))
		w.vadd(x, x, x)
	}
	w.exp(x, r(1), r(2), r(3), r(4))
	w.vadd(w.c(expOne), x, x) // eˣ + 1
	t := r(1)
	if w.e.Op == ir.Sigmoid { // 1 / (1 + e^−x)
		w.vload(w.c(expOne), t)
		w.vdiv(x, t, x)
	} else { // 1 − 2/(e^2x + 1)
		w.vload(w.c(expTwo), t)
		w.vdiv(x, t, x)
		w.vload(w.c(expOne), t)
		w.vsub(x, t, x)
	}
	if w.e.Op == ir.Tanh { // the small-x result where s < limit
		w.tanhBlend(r(5), r(6), x)
	}
	if tl > 0 {
		w.maskedStore(x, w.mask, mem(regDst, off))
	} else {
		w.vstore(x, mem(regDst, off))
	}
}

// exp replaces x with eˣ, as ir.ExpSource: t, n, rr, p are scratch.
func (w *xb) exp(x, t, n, rr, p reg.VecPhysical) {
	w.cload(expLo, t) // x = min(max(x, lo), hi): x second, so a NaN stays
	w.vmax(x, t, x)
	w.cload(expHi, t)
	w.vmin(x, t, x)
	w.cmul(expLog2e, x, t) // t = T(x·log2e) + magic
	w.cadd(expMagic, t, t)
	w.csub(expMagic, t, n) // n = t − magic
	w.cmul(expC1, n, rr)   // r = x − T(n·C1)
	w.vsub(rr, x, rr)
	w.vsub(x, x, x)     // z = x − x: 0, or NaN for a NaN x, added to the result
	w.cmul(expC2, n, n) // r −= T(n·C2)
	w.vsub(n, rr, rr)
	P := len(ir.ExpConstsOf(w.e.DType).P)
	w.cmul(expP, rr, p) // p = T(r·P0) + P1, then p = T(p·r) + Pk
	w.cadd(expP+1, p, p)
	for i := 2; i < P; i++ {
		w.vmul(rr, p, p)
		w.cadd(expP+i, p, p)
	}
	w.vmul(rr, rr, n) // p = T(p·T(r·r)) + r + 1
	w.vmul(n, p, p)
	w.vadd(rr, p, p)
	w.cadd(expOne, p, p)
	shift := operand.U8(ir.ExpConstsOf(w.e.DType).ExpShift) // + (bits(t) − bits(magic)) << shift
	w.cpsub(expMagic, t, t)
	if w.f64() {
		w.VPSLLQ(shift, t, t)
		w.VPADDQ(t, p, p)
	} else {
		w.VPSLLD(shift, t, t)
		w.VPADDD(t, p, p)
	}
	w.vadd(x, p, x)
}

// tanhSmall computes, from x, s = x² (then the mask s < limit) and p =
// tanh(x) by Cephes' small-x form, as ir.TanhSource; q is scratch.
func (w *xb) tanhSmall(x, s, p, q reg.VecPhysical) {
	t := w.e.DType
	limit, ps, qs := tanhSlots(t)
	c := ir.ExpConstsOf(t)
	w.vmul(x, x, s)
	w.vmul(w.c(ps), s, p) // p = T(s·P0) + P1, then p = T(p·s) + Pk
	w.vadd(w.c(ps+1), p, p)
	for i := 2; i < len(c.TanhP); i++ {
		w.vmul(s, p, p)
		w.vadd(w.c(ps+i), p, p)
	}
	if len(c.TanhQ) == 0 { // T(T(p·s)·x) + x
		w.vmul(s, p, p)
		w.vmul(x, p, p)
		w.vadd(x, p, p)
	} else { // q = s + Q0, then q = T(q·s) + Qk; x + T(T(x·s)·(p/q))
		w.vadd(w.c(qs), s, q)
		for i := 1; i < len(c.TanhQ); i++ {
			w.vmul(s, q, q)
			w.vadd(w.c(qs+i), q, q)
		}
		w.vdiv(q, p, p)
		w.vmul(s, x, q)
		w.vmul(p, q, p)
		w.vadd(p, x, p)
	}
	cmp := w.VCMPPS // s < limit, ordered: NaN takes the other form
	if w.f64() {
		cmp = w.VCMPPD
	}
	if w.s.opmask {
		cmp(operand.U8(cmpLTOQ), w.c(limit), s, reg.K2)
	} else {
		cmp(operand.U8(cmpLTOQ), w.c(limit), s, s)
	}
}

// tanhBlend sets x to p where the mask (K2, or s on AVX2) is set.
func (w *xb) tanhBlend(s, p, x reg.VecPhysical) {
	switch {
	case w.s.opmask && w.f64():
		w.VBLENDMPD(p, x, reg.K2, x)
	case w.s.opmask:
		w.VBLENDMPS(p, x, reg.K2, x)
	case w.f64():
		w.VBLENDVPD(s, p, x, x)
	default:
		w.VBLENDVPS(s, p, x, x)
	}
}
