package asm

import (
	"github.com/nngen/nngen/ir"
	"math"

	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// Registers of the layer-norm kernels: one pointer per array.
var lnRegs = map[string]reg.Register{
	"z": reg.RAX, "xhat": reg.RBX, "out": reg.RCX, "gamma": reg.RDX, "beta": reg.RSI, "sigma": reg.RDI,
	"dz": reg.R8, "dgamma": reg.R9, "dbeta": reg.R10, "dy": reg.R13, // R11 counts the loop, R12 holds constants
}

// lnRowsLeft counts the forward and backward kernels' rows.
var lnRowsLeft = reg.R14

// lb builds a layer-norm kernel.
type lb struct {
	*kb
	e     ir.Elementwise
	slots operand.Mem // the wide kernels' stack (lnwide.go)
}

// emitLayerNorm emits the body of a layer-norm row kernel (the function is
// already open, as emitElem opens it).
func emitLayerNorm(k *kb, e ir.Elementwise) {
	w := &lb{kb: k, e: e}
	if e.Op != ir.LNParamGrad && w.wide() {
		k.Attributes(0) // a frame: let the assembler check the stack
		w.slots = k.AllocLocal(lnSlots(e.Op) * lnWide * 4)
	}
	if e.Op == ir.LNForward {
		w.forwardRows()
		k.ret()
		return
	}
	if e.Op == ir.LNBackward {
		w.backwardRows()
		k.ret()
		return
	}
	for _, p := range e.PtrParams() {
		k.Load(k.Param(p), lnRegs[p])
	}
	w.backward(false)
	k.ret()
}

// perChunk is the number of T vectors in a chunk of 16 elements.
func (w *lb) perChunk() int { return ir.LNChunk / w.lanes }

// chunks runs body once per chunk of 16 elements, advancing ptrs; body gets
// the vector index q within the chunk and its byte offset.
func (w *lb) chunks(ptrs []reg.Register, body func(q, off int)) {
	w.loop("ln", regKCnt, w.e.N/ir.LNChunk, func() {
		for q := 0; q < w.perChunk(); q++ {
			body(q, q*w.s.vecBytes)
		}
		for _, r := range ptrs {
			w.addq(ir.LNChunk*w.esize, r)
		}
	})
}

// rewind moves ptrs back to the start of the row.
func (w *lb) rewind(ptrs []reg.Register) {
	for _, r := range ptrs {
		w.SUBQ(operand.U32(w.e.N*w.esize), r)
	}
}

// v is vector register i at the path's width.
func (w *lb) v(i int) reg.VecPhysical { return w.s.vec(i) }

// reduce16 sums the 16 partial sums held in accs (halve16).
func (w *lb) reduce16(accs []reg.VecPhysical, esize int, tmp reg.VecPhysical) reg.VecPhysical {
	return w.halve16(accs, esize, tmp, halveAdd)
}

// scalarConst loads the constant c of the element type into x's low lane.
func (w *lb) scalarConst(c float64, x reg.VecPhysical, f64 bool) {
	if f64 {
		w.MOVQ(operand.U64(math.Float64bits(c)), reg.R12)
		w.VMOVQ(reg.R12, x.AsX())
		return
	}
	w.MOVL(operand.U32(math.Float32bits(float32(c))), reg.R12L)
	w.VMOVD(reg.R12L, x.AsX())
}

// divisor is how x / c is computed bit for bit: a multiply by 1/c where c
// is a power of two (mul), else a divide by c.
func divisor(c float64) (by float64, mul bool) {
	if frac, _ := math.Frexp(c); frac == 0.5 {
		return 1 / c, true
	}
	return c, false
}

// divScalar is x /= c in the element type's scalar form: a multiply by
// 1/c where c is a power of two, the same exact quotient rounded the same
// way in a third of the divide's latency, which the row's chain of
// dependent steps waits on.
func (w *lb) divScalar(c float64, x, tmp reg.VecPhysical, f64 bool) {
	if by, mul := divisor(c); mul {
		w.scalarConst(by, tmp, f64)
		if f64 {
			w.VMULSD(tmp.AsX(), x.AsX(), x.AsX())
		} else {
			w.VMULSS(tmp.AsX(), x.AsX(), x.AsX())
		}
		return
	}
	w.scalarConst(c, tmp, f64)
	if f64 {
		w.VDIVSD(tmp.AsX(), x.AsX(), x.AsX())
	} else {
		w.VDIVSS(tmp.AsX(), x.AsX(), x.AsX())
	}
}

// forwardRows runs forward on each row, one per element of sigma: z, xhat
// and out move on by a row, sigma by an element, gamma and beta back to
// their start. Float32 on AVX-512 runs lnWide rows at once while there
// are that many (forward16, lnwide.go). Then it runs lnGroup rows at once
// while there are that many (four on AVX-512's 32 vector registers, two on
// AVX2's 16), each on eight registers of its own: a row is a chain of
// dependent steps (sums, square root, divide) about 70 cycles long that
// the core overlapped little with the next row's when the rows ran one
// after another. Each row's arithmetic is the same every way.
func (w *lb) forwardRows() {
	for _, p := range []string{"z", "xhat", "out", "sigma"} {
		w.Load(w.Param(p).Base(), lnRegs[p])
	}
	for _, p := range []string{"gamma", "beta"} {
		w.Load(w.Param(p), lnRegs[p])
	}
	w.Load(w.Param("sigma").Len(), lnRowsLeft)
	done := w.label("lnrowsdone")
	g := w.lnGroup()
	group := make([]lnRow, g)
	for i := range group {
		group[i] = lnRow{reg: i * lnRowRegs, row: i}
	}
	rowPtrs, rewound := []string{"z", "xhat", "out"}, []string{"gamma", "beta"}
	if w.wide() {
		w.whileRows("lnwide", lnWide, rowPtrs, rewound, w.forward16)
	}
	w.whileRows("lngroups", g, rowPtrs, rewound, func() { w.forward(group) })
	w.TESTQ(lnRowsLeft, lnRowsLeft)
	w.JZ(operand.LabelRef(done))
	rows := w.label("lnrows")
	w.Label(rows)
	w.forward([]lnRow{{0, 0}})
	w.rewind([]reg.Register{lnRegs["gamma"], lnRegs["beta"]})
	w.addq(w.esize, lnRegs["sigma"])
	w.DECQ(lnRowsLeft)
	w.JNZ(operand.LabelRef(rows))
	w.Label(done)
}

// whileRows runs body, which takes n rows and leaves the pointers a row
// on, for each n rows while there are that many: it moves rowPtrs on to
// the next n rows and rewinds the per-feature arrays.
func (w *lb) whileRows(what string, n int, rowPtrs, rewound []string, body func()) {
	done, next := w.label(what+"done"), w.label(what)
	w.Label(next)
	w.CMPQ(lnRowsLeft, operand.U8(n))
	w.JLT(operand.LabelRef(done))
	body()
	var rw []reg.Register
	for _, p := range rewound {
		rw = append(rw, lnRegs[p])
	}
	w.rewind(rw)
	for _, p := range rowPtrs {
		w.addq((n-1)*w.e.N*w.esize, lnRegs[p])
	}
	w.addq(n*w.esize, lnRegs["sigma"])
	w.SUBQ(operand.U8(n), lnRowsLeft)
	w.JMP(operand.LabelRef(next))
	w.Label(done)
}

// lnRow is one of the rows forward runs at once: its lnRowRegs vector
// registers start at reg, and it is the row-th row from the pointers.
type lnRow struct{ reg, row int }

// lnRowRegs is the vector registers a row of forward uses: its partial sums
// (up to four), then d and d2, the broadcast mean and a scratch register.
const lnRowRegs = 8

// The row's registers past its partial sums (lnRow.v): pass 2's
// difference d and its widened half d2, which later holds 1/σ̂ broadcast,
// the mean broadcast, and scratch.
const (
	lnD, lnD2, lnMean, lnTmp = 4, 5, 6, 7
	lnInv                    = 5
)

// lnGroup is the number of rows forward runs at once: as many as the
// vector registers hold.
func (w *lb) lnGroup() int { return 16 * w.s.vecBytes / 32 / lnRowRegs }

// v is the row's vector register i.
func (r lnRow) v(w *lb, i int) reg.VecPhysical { return w.v(r.reg + i) }

// forward: mean, then the variance of z − mean in float64, σ̂, then x̂ and
// out, for each of rows, step by step (each row's steps in its own
// registers, so that the rows' chains overlap).
func (w *lb) forward(rows []lnRow) {
	n := w.perChunk()
	z := lnRegs["z"]
	rowBytes := w.e.N * w.esize
	at := func(r lnRow, base reg.Register, off int) operand.Mem { return mem(base, off+r.row*rowBytes) }
	each := func(f func(r lnRow)) {
		for _, r := range rows {
			f(r)
		}
	}
	// Pass 1: Σ z in 16 partial sums, registers 0..n-1.
	accs := make([][]reg.VecPhysical, len(rows))
	each(func(r lnRow) { accs[r.row] = w.zeroed(r.reg, n) })
	w.chunks([]reg.Register{z}, func(q, off int) {
		each(func(r lnRow) { w.vadd(at(r, z, off), accs[r.row][q], accs[r.row][q]) })
	})
	w.rewind([]reg.Register{z})
	meanV := make([]reg.VecPhysical, len(rows))
	each(func(r lnRow) {
		tmp := r.v(w, lnTmp)
		mean := w.reduce16(accs[r.row], w.esize, tmp)
		w.divScalar(float64(w.e.N), mean, tmp, w.f64())
		meanV[r.row] = r.v(w, lnMean)
		w.broadcastLow(mean, meanV[r.row])
	})
	// Pass 2: Σ (z − mean)² in float64, 16 partial sums in two ZMM or four
	// YMM; a float32 vector's differences are widened half by half.
	q64 := make([][]reg.VecPhysical, len(rows))
	each(func(r lnRow) { q64[r.row] = w.zeroed(r.reg, ir.LNChunk*8/w.s.vecBytes) })
	w.chunks([]reg.Register{z}, func(q, off int) {
		each(func(r lnRow) {
			d, d2 := r.v(w, lnD), r.v(w, lnD2)
			w.vload(at(r, z, off), d)
			w.vsub(meanV[r.row], d, d)
			if w.f64() {
				w.VMULPD(d, d, d)
				w.VADDPD(d, q64[r.row][q], q64[r.row][q])
				return
			}
			lo, hi := operand.Op(d.AsY()), operand.Op(d2.AsY())
			if w.s.vecBytes == 64 {
				w.VEXTRACTF64X4(operand.U8(1), d, d2.AsY())
			} else {
				lo, hi = d.AsX(), d2.AsX()
				w.VEXTRACTF128(operand.U8(1), d, d2.AsX())
			}
			w.VCVTPS2PD(lo, d)
			w.VCVTPS2PD(hi, d2)
			for i, x := range []reg.VecPhysical{d, d2} {
				w.VMULPD(x, x, x)
				w.VADDPD(x, q64[r.row][2*q+i], q64[r.row][2*q+i])
			}
		})
	})
	w.rewind([]reg.Register{z})
	sigma := lnRegs["sigma"]
	invV := make([]reg.VecPhysical, len(rows))
	each(func(r lnRow) {
		tmp := r.v(w, lnTmp)
		vari := w.reduce16(q64[r.row], 8, tmp).AsX()
		w.divScalar(float64(w.e.N), vari.(reg.VecPhysical), tmp, true)
		w.VADDSD(w.paramAddr("eps"), vari, vari)
		w.VSQRTSD(vari, vari, vari)
		if w.f64() {
			w.VMOVSD(vari, mem(sigma, r.row*w.esize))
		} else {
			w.VCVTSD2SS(vari, vari, vari)
			w.VMOVSS(vari, mem(sigma, r.row*w.esize))
		}
		inv := r.v(w, 1)
		w.scalarConst(1, inv, w.f64())
		w.divLow(vari, inv)
		invV[r.row] = r.v(w, lnInv)
		w.broadcastLow(inv, invV[r.row])
	})
	// Pass 3: x̂ = (z − mean)·(1/σ̂), out = β + γ·x̂.
	xh, out, gamma, beta := lnRegs["xhat"], lnRegs["out"], lnRegs["gamma"], lnRegs["beta"]
	w.chunks([]reg.Register{z, xh, out, gamma, beta}, func(q, off int) {
		each(func(r lnRow) {
			t, u := r.v(w, 2), r.v(w, 3)
			w.vload(at(r, z, off), t)
			w.vsub(meanV[r.row], t, t)
			w.vmul(invV[r.row], t, t)
			w.vstore(t, at(r, xh, off))
			w.vmul(mem(gamma, off), t, u)
			w.vadd(mem(beta, off), u, u)
			w.vstore(u, at(r, out, off))
		})
	})
}

// zeroed zeroes vector registers from..from+n-1 and returns them.
func (w *lb) zeroed(from, n int) []reg.VecPhysical {
	rs := make([]reg.VecPhysical, n)
	for i := range rs {
		rs[i] = w.v(from + i)
		w.vzero(rs[i])
	}
	return rs
}

// divLow is x = x / by in the low lane (the element type's scalar form).
func (w *lb) divLow(by, x operand.Op) {
	if w.f64() {
		w.VDIVSD(by, asX(x), asX(x))
		return
	}
	w.VDIVSS(by, asX(x), asX(x))
}

func asX(x operand.Op) operand.Op {
	if v, ok := x.(reg.VecPhysical); ok {
		return v.AsX()
	}
	return x
}

// backwardRows runs backward on each row, one per element of sigma: dz,
// dy and xhat move on by a row (backward leaves them there), sigma by an
// element, dgamma, dbeta and gamma back to their start. ∂γ and ∂β take
// each row in turn, as one call a row added them. Float32 on AVX-512 runs
// lnWide rows at once while there are that many (backward16, lnwide.go).
func (w *lb) backwardRows() {
	for _, p := range []string{"dz", "dy", "xhat", "sigma"} {
		w.Load(w.Param(p).Base(), lnRegs[p])
	}
	for _, p := range []string{"dgamma", "dbeta", "gamma"} {
		w.Load(w.Param(p), lnRegs[p])
	}
	w.Load(w.Param("sigma").Len(), lnRowsLeft)
	done, rows := w.label("lnrowsdone"), w.label("lnrows")
	if w.wide() {
		w.whileRows("lnwide", lnWide, []string{"dz", "dy", "xhat"}, []string{"gamma"}, w.backward16)
	}
	w.TESTQ(lnRowsLeft, lnRowsLeft)
	w.JZ(operand.LabelRef(done))
	w.Label(rows)
	w.backward(true)
	w.rewind([]reg.Register{lnRegs["dgamma"], lnRegs["dbeta"], lnRegs["gamma"]})
	w.addq(w.esize, lnRegs["sigma"])
	w.DECQ(lnRowsLeft)
	w.JNZ(operand.LabelRef(rows))
	w.Label(done)
}

// backward: ∂γ += ∂out⊙x̂ and ∂β += ∂out; with dz, also the sums of
// u = γ⊙∂out and u⊙x̂, then ∂z = (u − mean(u) − x̂·mean(u⊙x̂))/σ̂.
func (w *lb) backward(withDz bool) {
	n := w.perChunk()
	dy, xh, dg, db := lnRegs["dy"], lnRegs["xhat"], lnRegs["dgamma"], lnRegs["dbeta"]
	gamma, dz := lnRegs["gamma"], lnRegs["dz"]
	ptrs := []reg.Register{dy, xh, dg, db}
	var p, q []reg.VecPhysical
	if withDz {
		ptrs = append(ptrs, gamma)
		p, q = w.zeroed(0, n), w.zeroed(n, n)
	}
	a, b, t, u := w.v(12), w.v(13), w.v(14), w.v(15)
	w.chunks(ptrs, func(i, off int) {
		w.vload(mem(dy, off), a)
		w.vload(mem(xh, off), b)
		w.vmul(b, a, t)
		w.vadd(mem(dg, off), t, t)
		w.vstore(t, mem(dg, off))
		w.vload(mem(db, off), t) // ∂β + ∂out, in the order Generic's source writes it
		w.vadd(a, t, t)
		w.vstore(t, mem(db, off))
		if !withDz {
			return
		}
		w.vmul(mem(gamma, off), a, u)
		w.vadd(u, p[i], p[i])
		w.vmul(b, u, u)
		w.vadd(u, q[i], q[i])
	})
	if !withDz {
		return
	}
	w.rewind([]reg.Register{dy, xh, gamma})
	mu := w.reduce16(p, w.esize, u)
	mux := w.reduce16(q, w.esize, u)
	w.divScalar(float64(w.e.N), mu, u, w.f64())
	w.divScalar(float64(w.e.N), mux, u, w.f64())
	inv := w.v(11)
	w.scalarConst(1, inv, w.f64())
	w.divLow(mem(lnRegs["sigma"], 0), inv)
	muV, muxV, invV := w.v(8), w.v(9), w.v(10)
	w.broadcastLow(mu, muV)
	w.broadcastLow(mux, muxV)
	w.broadcastLow(inv, invV)
	w.chunks([]reg.Register{dz, dy, xh, gamma}, func(i, off int) {
		w.vload(mem(dy, off), a)
		w.vmul(mem(gamma, off), a, u)
		w.vsub(muV, u, u)
		w.vmul(mem(xh, off), muxV, t)
		w.vsub(t, u, u)
		w.vmul(invV, u, u)
		w.vstore(u, mem(dz, off))
	})
}
