package asm

import (
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/ir"
)

// The bias gradient of a dense layer sums the batch's rows of ∂J/∂z into
// ∂b (ir.AddRows). One AddRow call a row made every row wait on the last
// through memory (∂b stored, then loaded again by the next call), besides
// the call: R3's Step spent 5% there. AddRows holds up to addRowsVecs
// vectors of ∂b in registers over every row, each vector's adds in row
// order as the row-by-row calls made them, so the sums are the same.

// addRowsVecs is the vectors of dst one pass over the rows holds.
const addRowsVecs = 12

// Registers of AddRows: the walk over a pass's rows and the elements left.
var (
	regRowsWalk = reg.R8
	regRowsLeft = reg.R9
)

// emitAddRows emits ir.AddRows: dst += every whole row of src, in passes of
// up to addRowsVecs vectors of dst (a masked tail vector last).
func emitAddRows(k *kb, e ir.Elementwise) {
	k.Load(k.Param("dst"), regDst)
	k.Load(k.Param("src").Base(), regSrc)
	nvec, tl := e.N/k.lanes, e.N%k.lanes
	total := nvec
	if tl > 0 {
		total++
	}
	mask, x := k.s.vec(1), k.s.vec(15)
	if tl > 0 {
		if k.s.opmask {
			k.setOpmask(tl)
		} else {
			k.loadMask(tl, mask)
		}
	}
	vb := k.s.vecBytes
	for first := 0; first < total; first += addRowsVecs {
		n := min(addRowsVecs, total-first)
		tail := func(q int) bool { return tl > 0 && first+q == nvec }
		acc := func(q int) reg.VecPhysical { return k.s.vec(2 + q) }
		load := func(m operand.Mem, q int, v reg.VecPhysical) {
			if tail(q) {
				k.maskedLoad(m, mask, v)
			} else {
				k.vload(m, v)
			}
		}
		for q := range n {
			load(mem(regDst, (first+q)*vb), q, acc(q))
		}
		k.MOVQ(regSrc, regRowsWalk)
		k.Load(k.Param("src").Len(), regRowsLeft)
		next, done := k.label("rows"), k.label("rowsdone")
		k.Label(next)
		k.CMPQ(regRowsLeft, operand.U32(e.N))
		k.JLT(operand.LabelRef(done))
		for q := range n {
			load(mem(regRowsWalk, (first+q)*vb), q, x)
			k.vadd(x, acc(q), acc(q))
		}
		k.addq(e.N*k.esize, regRowsWalk)
		k.SUBQ(operand.U32(e.N), regRowsLeft)
		k.JMP(operand.LabelRef(next))
		k.Label(done)
		for q := range n {
			if tail(q) {
				k.maskedStore(acc(q), mask, mem(regDst, (first+q)*vb))
			} else {
				k.vstore(acc(q), mem(regDst, (first+q)*vb))
			}
		}
	}
	k.ret()
}
