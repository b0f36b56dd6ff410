package asm

import (
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The transposed form of an NT product. The dot form reduces every tile's
// accumulators across their lanes, which costs as much as a short k loop:
// NT32x64x64 (a 64-wide dense layer's forward) ran at half of peak on
// AVX-512. Where the model rates it cheaper (tposeCost), an NT product
// runs the broadcast form instead, on each column panel of C transposed
// into the stack buffer first: B's w·V rows of K become K rows of w·V,
// the layout of a packed NN panel, read by the same micro-kernels. The
// transpose moves 8×8 blocks through sixteen registers (loads of 128-bit
// halves, then VUNPCKLPS/VUNPCKHPS and VSHUFPS), or on AVX-512, where K is
// a multiple of 16, 16×16 blocks through 32 (tposeBlock16), float32 only.

// tposeCycles is the modelled cost of transposing one element: an 8×8
// block is 40 instructions, 24 of them shuffles. The 16×16 blocks of ZMM
// registers (tposeBlock16), 96 instructions, 64 of them shuffles, for four
// times the elements, took about 0.12 cycles an element on Zen 5 (R3's
// 64×64 weight in about 125 ns against 190); the planner still rates them
// at tposeCycles, which keeps the dot form for the small products
// (batch 4) where the cheaper rate would tip it, unmeasured.
const tposeCycles = 0.25

// tposeWide reports whether the transpose runs in 16×16 blocks.
func (k *kb) tposeWide() bool { return k.s.vecBytes == 64 && k.m.K%16 == 0 }

// tposePlan returns the broadcast-form plan of NT product m on path s and
// whether it beats dotCost, the dot form's modelled cost.
func (k *kb) tposePlan(dotCost float64) (bplan, bool) {
	m := k.m
	if !m.TransB || m.TransA || m.Windowed() || k.f64() || m.M == 1 || m.K%8 != 0 || m.N%k.lanes != 0 {
		return bplan{}, false
	}
	p := planBcast(k.s, k.lanes, m.M, m.N, m.K, m.Accumulate, true, true)
	if len(p.groups) == 0 {
		return p, false
	}
	c := p.rated(k.s, m.M, m.K, m.Accumulate)
	for _, g := range p.groups {
		if m.K*g.w*k.s.vecBytes > maxPack {
			return p, false
		}
		c += float64(float64(g.count*m.K*g.w*k.lanes) * tposeCycles) // rounded: plan.go
	}
	return p, c < dotCost
}

// tposePanel writes the transpose of the panel's w·V rows of B (at
// regBPanel, K elements each) into the stack buffer, row k at k·w
// vectors: K/n block rows of w·V/n blocks, n = 8, or 16 (tposeWide).
func (k *kb) tposePanel(w int) {
	rowB, rowP := k.m.K*k.esize, w*k.s.vecBytes
	src, dst := reg.RAX, reg.RDI
	n, block := 8, k.tposeBlock
	if k.tposeWide() {
		n, block = 16, k.tposeBlock16
	}
	k.MOVQ(regBPanel, regBWalk)
	k.leaPack(regAWalk)
	k.loop("tposek", regTiles, k.m.K/n, func() {
		k.MOVQ(regBWalk, src)
		k.MOVQ(regAWalk, dst)
		k.loop("tposej", regKCnt, w*k.lanes/n, func() {
			block(src, dst, rowB, rowP)
			k.addq(n*rowB, src)
			k.addq(n*k.esize, dst)
		})
		k.addq(n*k.esize, regBWalk)
		k.addq(n*rowP, regAWalk)
	})
}

// tposeBlock transposes the 8×8 block of rows src + r·rowB (8 elements
// each) into rows dst + c·rowP. Register i < 4 holds rows i and i+4's
// elements 0–3 (one per 128-bit lane), 4+i their elements 4–7; within
// each lane the 4×4 transpose is two rounds of shuffles.
func (k *kb) tposeBlock(src, dst reg.Register, rowB, rowP int) {
	for half := 0; half < 2; half++ {
		for i := 0; i < 4; i++ {
			r := 4*half + i
			k.VMOVUPS(mem(src, i*rowB+16*half), xregs[r])
			k.VINSERTF128(operand.U8(1), mem(src, (i+4)*rowB+16*half), yregs[r], yregs[r])
		}
	}
	for half := 0; half < 2; half++ {
		l := func(i int) reg.VecPhysical { return yregs[4*half+i] }
		t := func(i int) reg.VecPhysical { return yregs[8+i] }
		k.VUNPCKLPS(l(1), l(0), t(0))
		k.VUNPCKHPS(l(1), l(0), t(1))
		k.VUNPCKLPS(l(3), l(2), t(2))
		k.VUNPCKHPS(l(3), l(2), t(3))
		for c, sh := range [4][3]int{{0, 2, 0x44}, {0, 2, 0xee}, {1, 3, 0x44}, {1, 3, 0xee}} {
			out := l(c) // the block's inputs are read by now
			k.VSHUFPS(operand.U8(sh[2]), t(sh[1]), t(sh[0]), out)
			k.VMOVUPS(out, mem(dst, (4*half+c)*rowP))
		}
	}
}

// tposeBlock16 transposes the 16×16 block of rows src + r·rowB (16
// elements each) into rows dst + c·rowP, in 64 shuffles of ZMM registers
// where tposeBlock takes 96 for four 8×8 blocks: VUNPCKLPS/VUNPCKHPS and
// VSHUFPS transpose the 4×4 blocks within each 128-bit lane, then two
// rounds of VSHUFF32X4 the 4×4 grid of 128-bit lanes.
func (k *kb) tposeBlock16(src, dst reg.Register, rowB, rowP int) {
	z := func(i int) reg.VecPhysical { return k.s.vec(i) }
	for i := range 16 {
		k.VMOVUPS(mem(src, i*rowB), z(i))
	}
	for p := range 8 { // rows 2p and 2p+1 interleaved: t(2p) elements 0, 1 of each lane, t(2p+1) 2, 3
		k.VUNPCKLPS(z(2*p+1), z(2*p), z(16+2*p))
		k.VUNPCKHPS(z(2*p+1), z(2*p), z(16+2*p+1))
	}
	for q := range 4 { // u(4q+j): rows 4q..4q+3 of column j of each lane
		t := func(i int) reg.VecPhysical { return z(16 + 4*q + i) }
		for j, sh := range [4][3]int{{0, 2, shufLow}, {0, 2, shufHigh}, {1, 3, shufLow}, {1, 3, shufHigh}} {
			k.VSHUFPS(operand.U8(uint8(sh[2])), t(sh[1]), t(sh[0]), z(4*q+j))
		}
	}
	for j := range 4 { // column 4L+j: lane L of u(j), u(4+j), u(8+j), u(12+j)
		a, b, c, d := z(j), z(4+j), z(8+j), z(12+j)
		p, q, r, s := z(16), z(17), z(18), z(19)
		k.VSHUFF32X4(operand.U8(shufEven), b, a, p)
		k.VSHUFF32X4(operand.U8(shufOdd), b, a, q)
		k.VSHUFF32X4(operand.U8(shufEven), d, c, r)
		k.VSHUFF32X4(operand.U8(shufOdd), d, c, s)
		for l, x := range []struct {
			lo, hi reg.VecPhysical
			imm    uint8
		}{{p, r, shufEven}, {q, s, shufEven}, {p, r, shufOdd}, {q, s, shufOdd}} {
			out := z(20 + l)
			k.VSHUFF32X4(operand.U8(x.imm), x.hi, x.lo, out)
			k.VMOVUPS(out, mem(dst, (4*l+j)*rowP))
		}
	}
}

var (
	xregs = []reg.VecPhysical{reg.X0, reg.X1, reg.X2, reg.X3, reg.X4, reg.X5, reg.X6, reg.X7}
	yregs = []reg.VecPhysical{reg.Y0, reg.Y1, reg.Y2, reg.Y3, reg.Y4, reg.Y5, reg.Y6, reg.Y7, reg.Y8, reg.Y9, reg.Y10, reg.Y11}
)

// maxW is the widest panel of p, in vectors.
func (p bplan) maxW() int {
	w := 0
	for _, g := range p.groups {
		w = max(w, g.w)
	}
	return w
}
