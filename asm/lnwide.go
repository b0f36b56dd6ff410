package asm

import (
	"github.com/nngen/nngen/ir"

	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The float32 AVX-512 forward and backward kernels run lnWide rows at
// once, their reductions transposed: where a row's 16 partial sums are
// halved within its own register (halve16), here the halving of 16 rows
// runs across their registers, two rows' halves shuffled into one
// register at each step, so that one add serves several rows and the last
// step leaves the 16 rows' sums in one register. The means, σ̂ and 1/σ̂
// then take one vector operation for all 16 rows where each row took its
// own scalar divide and square root, and no row waits on a chain of
// dependent steps.
// Each element still meets the same operations in the same order as in
// halve16 (partial j + partial j+w, the lower first), so the result is
// bit for bit the row-at-a-time kernel's, and Generic's.

// lnWide is the rows the wide kernels run at once.
const lnWide = 16

// lnSlots is the vectors of 16 float32s the wide kernels keep on the
// stack, one element a row, read back by embedded broadcast: the means and
// 1/σ̂ (forward), or mean(u), mean(u⊙x̂) and 1/σ̂ (backward).
func lnSlots(op ir.ElemOp) int {
	if op == ir.LNForward {
		return 2
	}
	return 3
}

// wide reports whether forward and backward run lnWide rows at once.
func (w *lb) wide() bool { return w.s.vecBytes == 64 && !w.f64() }

// halveStep is one step of a transposed halving: two shuffles of a pair of
// registers (lower and upper) into the partials' lower and upper members,
// which add then combines, the lower the first source.
type halveStep struct {
	lo, hi func(a, b, dst reg.VecPhysical)
	add    func(...operand.Op)
}

// shuf128 is VSHUFF32X4 with imm: dst's 128-bit lanes 0 and 1 from a, 2
// and 3 from b; shuf64 is VSHUFF64X2, the same for float64.
func (w *lb) shuf128(imm uint8) func(a, b, dst reg.VecPhysical) {
	return func(a, b, dst reg.VecPhysical) { w.VSHUFF32X4(operand.U8(imm), b, a, dst) }
}

func (w *lb) shuf64(imm uint8) func(a, b, dst reg.VecPhysical) {
	return func(a, b, dst reg.VecPhysical) { w.VSHUFF64X2(operand.U8(imm), b, a, dst) }
}

// Immediates of the shuffles: 0x44 takes lanes (0, 1) of each source, 0xEE
// (2, 3), 0x88 (0, 2) and 0xDD (1, 3), for 128-bit lanes (VSHUFF32X4) and
// for elements within them (VSHUFPS) alike.
const (
	shufLow, shufHigh, shufEven, shufOdd = 0x44, 0xEE, 0x88, 0xDD
)

// shufps is VSHUFPS with imm, within each 128-bit lane: elements 0 and 1
// from a, 2 and 3 from b.
func (w *lb) shufps(imm uint8) func(a, b, dst reg.VecPhysical) {
	return func(a, b, dst reg.VecPhysical) { w.VSHUFPS(operand.U8(imm), b, a, dst) }
}

// halveSteps32 halve 16 float32 partials: w = 8 and 4 across 128-bit
// lanes, 2 and 1 within them.
func (w *lb) halveSteps32() []halveStep {
	return []halveStep{
		{w.shuf128(shufLow), w.shuf128(shufHigh), w.VADDPS},
		{w.shuf128(shufEven), w.shuf128(shufOdd), w.VADDPS},
		{w.shufps(shufLow), w.shufps(shufHigh), w.VADDPS},
		{w.shufps(shufEven), w.shufps(shufOdd), w.VADDPS},
	}
}

// halveSteps64 halve 8 float64 partials: w = 4 and 2 across 128-bit lanes,
// 1 within them.
func (w *lb) halveSteps64() []halveStep {
	return []halveStep{
		{w.shuf64(shufLow), w.shuf64(shufHigh), w.VADDPD},
		{w.shuf64(shufEven), w.shuf64(shufOdd), w.VADDPD},
		{func(a, b, dst reg.VecPhysical) { w.VUNPCKLPD(b, a, dst) }, func(a, b, dst reg.VecPhysical) { w.VUNPCKHPD(b, a, dst) }, w.VADDPD},
	}
}

// halveAcross runs steps on vs, a register per row, in the order that
// leaves each row's result in the lane of its index: vs[order[i]] is the
// i-th leaf of the pairing tree. tmp are two scratch registers; the result
// is in the register of row order[0].
func (w *lb) halveAcross(vs []reg.VecPhysical, order []int, steps []halveStep, tmp [2]reg.VecPhysical) reg.VecPhysical {
	leaves := make([]reg.VecPhysical, len(order))
	for i, r := range order {
		leaves[i] = vs[r]
	}
	return w.halveLeaves(leaves, steps, tmp)[0]
}

// halveLeaves runs steps on leaves, pairing neighbours, and returns what
// the last step leaves (in the registers of the pairs' first members).
func (w *lb) halveLeaves(leaves []reg.VecPhysical, steps []halveStep, tmp [2]reg.VecPhysical) []reg.VecPhysical {
	for _, s := range steps {
		next := leaves[:0:0]
		for i := 0; i+1 < len(leaves); i += 2 {
			a, b := leaves[i], leaves[i+1]
			s.lo(a, b, tmp[0])
			s.hi(a, b, tmp[1])
			s.add(tmp[1], tmp[0], a)
			next = append(next, a)
		}
		leaves = next
	}
	return leaves
}

// leafOrder is the rows in the order the halving tree pairs them, so that
// its last step puts row i in lane i: for 16 float32 rows, row 4·(i mod 4)
// + i/4; for 8 float64 rows, 2·(i mod 4) + i/4.
func leafOrder(n int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = n/4*(i%4) + i/4
	}
	return order
}

// forward16 is forward for lnWide rows: the means of the rows, then their
// variances in float64 eight rows at a time, σ̂ and 1/σ̂ as vectors, kept
// in the stack slots, then x̂ and out row by row, the row's mean and 1/σ̂
// broadcast from the slots.
func (w *lb) forward16() {
	z := lnRegs["z"]
	rowBytes := w.e.N * w.esize
	at := func(r int, base reg.Register, off int) operand.Mem { return mem(base, off+r*rowBytes) }
	means, invs := w.slots, w.slots.Offset(lnWide*4)
	tmp := [2]reg.VecPhysical{w.v(30), w.v(31)}

	// Pass 1: Σ z, a register of 16 partial sums a row.
	accs := w.zeroed(0, lnWide)
	w.chunks([]reg.Register{z}, func(_, off int) {
		for r, a := range accs {
			w.vadd(at(r, z, off), a, a)
		}
	})
	w.rewind([]reg.Register{z})
	sums := w.halveAcross(accs, leafOrder(lnWide), w.halveSteps32(), tmp)
	w.divVec(float64(w.e.N), sums, w.v(1), false)
	w.vstore(sums, means)

	// Pass 2: Σ (z − mean)² in float64 by halves of eight rows, two
	// registers of partial sums a row (the float32 difference widened half
	// by half), then the first halving step within the row's pair.
	var vari [2]reg.VecPhysical
	for h := range vari {
		q := w.zeroed(0, 16)
		w.chunks([]reg.Register{z}, func(_, off int) {
			for i := range 8 {
				r := 8*h + i
				d, d2 := w.v(16+2*(i%4)), w.v(17+2*(i%4))
				w.vload(at(r, z, off), d)
				w.VSUBPS_BCST(means.Offset(4*r), d, d)
				w.VEXTRACTF64X4(operand.U8(1), d, d2.AsY())
				w.VCVTPS2PD(d.AsY(), d)
				w.VCVTPS2PD(d2.AsY(), d2)
				for j, x := range []reg.VecPhysical{d, d2} {
					w.VMULPD(x, x, x)
					w.VADDPD(x, q[2*i+j], q[2*i+j])
				}
			}
		})
		w.rewind([]reg.Register{z})
		rows := make([]reg.VecPhysical, 8)
		for i := range rows {
			rows[i] = q[2*i]
			w.VADDPD(q[2*i+1], q[2*i], q[2*i])
		}
		s := w.halveAcross(rows, leafOrder(8), w.halveSteps64(), tmp)
		vari[h] = w.v(24 + h)
		w.VMOVAPD(s, vari[h])
	}

	// σ̂ = √(variance/N + ε) in float64, rounded to float32; 1/σ̂ in float32.
	sigma, half := w.v(0), w.v(1)
	for h, v := range vari {
		w.divVec(float64(w.e.N), v, w.v(2), true)
		w.VADDPD_BCST(w.paramAddr("eps"), v, v)
		w.VSQRTPD(v, v)
		if h == 0 {
			w.VCVTPD2PS(v, sigma.AsY())
			continue
		}
		w.VCVTPD2PS(v, half.AsY())
		w.VINSERTF64X4(operand.U8(1), half.AsY(), sigma, sigma)
	}
	w.vstore(sigma, mem(lnRegs["sigma"], 0))
	inv := w.v(1)
	w.scalarConst(1, inv, false)
	w.broadcastLow(inv, inv)
	w.VDIVPS(sigma, inv, inv)
	w.vstore(inv, invs)

	// Pass 3: x̂ = (z − mean)·(1/σ̂), out = β + γ·x̂, γ and β of the chunk
	// loaded once for the 16 rows.
	xh, out, gamma, beta := lnRegs["xhat"], lnRegs["out"], lnRegs["gamma"], lnRegs["beta"]
	g, b := w.v(2), w.v(3)
	w.chunks([]reg.Register{z, xh, out, gamma, beta}, func(_, off int) {
		w.vload(mem(gamma, off), g)
		w.vload(mem(beta, off), b)
		for r := range lnWide {
			t, u := w.v(4+2*(r%8)), w.v(5+2*(r%8))
			w.vload(at(r, z, off), t)
			w.VSUBPS_BCST(means.Offset(4*r), t, t)
			w.VMULPS_BCST(invs.Offset(4*r), t, t)
			w.vstore(t, at(r, xh, off))
			w.VMULPS(g, t, u)
			w.VADDPS(b, u, u)
			w.vstore(u, at(r, out, off))
		}
	})
}

// divVec is x /= c in every lane, float64 or float32 as f64 says: a
// multiply by 1/c where c is a power of two, as divScalar.
func (w *lb) divVec(c float64, x, tmp reg.VecPhysical, f64 bool) {
	op := map[bool][2]func(...operand.Op){false: {w.VDIVPS, w.VMULPS}, true: {w.VDIVPD, w.VMULPD}}[f64]
	by, mul := divisor(c)
	f := op[0]
	if mul {
		f = op[1]
	}
	w.scalarConst(by, tmp, f64)
	if f64 {
		w.VBROADCASTSD(tmp.AsX(), tmp)
	} else {
		w.VBROADCASTSS(tmp.AsX(), tmp)
	}
	f(tmp, x, x)
}

// backward16 is backward for lnWide rows. Pass 1 runs by halves of eight
// rows, ∂γ and ∂β of each chunk held in registers across the half's rows
// (each element still takes the rows in order) and the sums of u = γ⊙∂out
// and u⊙x̂ in a register a row; a half's first halving step pairs row r
// with row r+4, so that the two halves' eight registers each finish the
// transposed halving together. Then mean(u), mean(u⊙x̂) and 1/σ̂ are one
// vector operation each for the 16 rows, kept in the stack slots, and
// pass 2 writes ∂z row by row, broadcasting them. It leaves dz, dy, xhat
// and gamma a row on, as backward does, and dgamma and dbeta where they
// were.
func (w *lb) backward16() {
	dy, xh, dg, db := lnRegs["dy"], lnRegs["xhat"], lnRegs["dgamma"], lnRegs["dbeta"]
	gamma, dz := lnRegs["gamma"], lnRegs["dz"]
	rowBytes := w.e.N * w.esize
	at := func(r int, base reg.Register, off int) operand.Mem { return mem(base, off+r*rowBytes) }
	mus, muxs, invs := w.slots, w.slots.Offset(lnWide*4), w.slots.Offset(2*lnWide*4)
	steps := w.halveSteps32()
	g, dgv, dbv, a, b, t, u := w.v(24), w.v(25), w.v(26), w.v(27), w.v(28), w.v(29), w.v(30)
	tmp := [2]reg.VecPhysical{w.v(24), w.v(25)} // free once a half's chunks are done
	var halvedP, halvedQ [2][]reg.VecPhysical
	for h := range 2 {
		p, q := w.zeroed(0, 8), w.zeroed(8, 8)
		w.chunks([]reg.Register{dy, xh, dg, db, gamma}, func(_, off int) {
			w.vload(mem(gamma, off), g)
			w.vload(mem(dg, off), dgv)
			w.vload(mem(db, off), dbv)
			for i := range 8 {
				r := 8*h + i
				w.vload(at(r, dy, off), a)
				w.vload(at(r, xh, off), b)
				w.VMULPS(b, a, t)
				w.VADDPS(dgv, t, dgv)
				w.VADDPS(a, dbv, dbv)
				w.VMULPS(g, a, u)
				w.VADDPS(u, p[i], p[i])
				w.VMULPS(b, u, u)
				w.VADDPS(u, q[i], q[i])
			}
			w.vstore(dgv, mem(dg, off))
			w.vstore(dbv, mem(db, off))
		})
		w.rewind([]reg.Register{dy, xh, dg, db, gamma})
		pair := func(x []reg.VecPhysical) []reg.VecPhysical { // rows i and i+4
			return []reg.VecPhysical{x[0], x[4], x[1], x[5], x[2], x[6], x[3], x[7]}
		}
		halvedP[h] = w.halveLeaves(pair(p), steps[:1], tmp)
		halvedQ[h] = w.halveLeaves(pair(q), steps[:1], tmp)
		if h == 0 { // out of the second half's way
			for i := range 4 {
				w.VMOVAPS(halvedP[0][i], w.v(16+i))
				w.VMOVAPS(halvedQ[0][i], w.v(20+i))
				halvedP[0][i], halvedQ[0][i] = w.v(16+i), w.v(20+i)
			}
		}
	}
	for i, x := range []*[2][]reg.VecPhysical{&halvedP, &halvedQ} {
		var leaves []reg.VecPhysical // rows (0,4), (8,12), (1,5), (9,13), …
		for j := range 4 {
			leaves = append(leaves, x[0][j], x[1][j])
		}
		sum := w.halveLeaves(leaves, steps[1:], tmp)[0]
		w.divVec(float64(w.e.N), sum, w.v(26), false)
		w.vstore(sum, []operand.Mem{mus, muxs}[i])
	}
	inv := w.v(0)
	w.scalarConst(1, inv, false)
	w.broadcastLow(inv, inv)
	w.VDIVPS(mem(lnRegs["sigma"], 0), inv, inv)
	w.vstore(inv, invs)
	// ∂z = (γ⊙∂out − mean(u) − x̂·mean(u⊙x̂))·(1/σ̂), the row's means and
	// 1/σ̂ broadcast from the slots.
	w.chunks([]reg.Register{dz, dy, xh, gamma}, func(_, off int) {
		w.vload(mem(gamma, off), g)
		for r := range lnWide {
			a, t := w.v(1+2*(r%8)), w.v(2+2*(r%8))
			w.vload(at(r, dy, off), a)
			w.VMULPS(g, a, a)
			w.VSUBPS_BCST(mus.Offset(4*r), a, a)
			w.VBROADCASTSS(muxs.Offset(4*r), t)
			w.VMULPS(at(r, xh, off), t, t)
			w.VSUBPS(t, a, a)
			w.VMULPS_BCST(invs.Offset(4*r), a, a)
			w.vstore(a, at(r, dz, off))
		}
	})
}
