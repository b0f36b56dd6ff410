package asm

import (
	"math/bits"

	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// Row ranges. A Batched product (ir.Matmul.Batched) takes lo and hi and
// computes only rows lo..hi−1 of its batch dimension, so that SetThreads'
// goroutines share a batch: rows of A and C (NN, NT: the batch is M) or
// steps of k (TN: the batch is K, summed into the whole of C). The shape
// stays compiled in; only the count of row tiles, or of k steps, comes from
// hi − lo at run time: whole tiles while they fit, then one row (one k step)
// at a time.

// batchedRows reports whether m's row count comes from the range.
func (k *kb) batchedRows() bool { return k.m.Batched && !k.m.TransA }

// batchedK reports whether m's k count comes from the range.
func (k *kb) batchedK() bool { return k.m.Batched && k.m.TransA }

// offsetRange moves the operand pointers to row lo of the batch: A and C
// by lo rows (NN, NT), or A and B by lo rows of K (TN).
func (k *kb) offsetRange() {
	if !k.m.Batched {
		return
	}
	lo := reg.R12
	k.Load(k.Param("lo"), lo)
	e := k.esize
	offset := func(rowBytes int, p reg.Register) {
		k.IMUL3Q(operand.I32(int32(rowBytes)), lo, regKCnt)
		k.ADDQ(regKCnt, p)
	}
	if k.m.TransA {
		offset(k.m.M*e, regA)
		offset(k.m.N*e, regB)
		return
	}
	offset(k.m.K*e, regA)
	offset(k.m.N*e, regC)
}

// rangeCount loads hi − lo into r.
func (k *kb) rangeCount(r reg.Register) {
	k.Load(k.Param("hi"), r)
	lo, err := k.Param("lo").Resolve()
	if err != nil {
		panic("asm: " + err.Error())
	}
	k.SUBQ(lo.Addr, r)
}

// rowTiles runs tile(mr) over the rows: a fixed count, or for a Batched
// product whole tiles while hi − lo allows, then tile(1) row by row; next
// advances the row pointers by n rows.
func (k *kb) rowTiles(mr, M int, tile func(rows int), next func(rows int)) {
	if !k.batchedRows() {
		k.loop("rows", regICnt, M/mr, func() {
			tile(mr)
			next(mr)
		})
		if r := M % mr; r > 0 {
			tile(r)
		}
		return
	}
	k.rangeCount(regICnt)
	whole, single, done := k.label("rows"), k.label("row"), k.label("rowsdone")
	if mr > 1 {
		k.Label(whole)
		k.CMPQ(regICnt, operand.U32(mr))
		k.JB(operand.LabelRef(single))
		tile(mr)
		next(mr)
		k.SUBQ(operand.U32(mr), regICnt)
		k.JMP(operand.LabelRef(whole))
	}
	k.Label(single)
	k.TESTQ(regICnt, regICnt)
	k.JZ(operand.LabelRef(done))
	tile(1)
	next(1)
	k.DECQ(regICnt)
	k.JMP(operand.LabelRef(single))
	k.Label(done)
}

// kSteps runs step(s) for the k steps of a tile: K in loop iterations of u
// steps and a remainder, or for a Batched TN product hi − lo steps, in
// iterations of u (a power of two) and then one at a time; next advances the
// walking pointers by n steps.
func (k *kb) kSteps(K, u int, step func(s int), next func(n int)) {
	if !k.batchedK() {
		k.loop("k", regKCnt, K/u, func() {
			for s := 0; s < u; s++ {
				step(s)
			}
			next(u)
		})
		for s := 0; s < K%u; s++ {
			step(s)
		}
		return
	}
	if u&(u-1) != 0 {
		panic("asm: the k unroll of a row range must be a power of two")
	}
	whole, single, done := k.label("k"), k.label("k1"), k.label("kdone")
	if u > 1 {
		k.rangeCount(regKCnt)
		k.SHRQ(operand.U8(bits.TrailingZeros(uint(u))), regKCnt)
		k.JZ(operand.LabelRef(single + "in"))
		k.Label(whole)
		for s := 0; s < u; s++ {
			step(s)
		}
		next(u)
		k.DECQ(regKCnt)
		k.JNZ(operand.LabelRef(whole))
		k.Label(single + "in")
	}
	k.rangeCount(regKCnt)
	if u > 1 {
		k.ANDQ(operand.U32(u-1), regKCnt)
	}
	k.JZ(operand.LabelRef(done))
	k.Label(single)
	step(0)
	next(1)
	k.DECQ(regKCnt)
	k.JNZ(operand.LabelRef(single))
	k.Label(done)
}

// rangeUnroll is unroll for a k count known only at run time: a power of
// two, never the full unroll.
func rangeUnroll(steps, fmasPerStep int) int {
	u := 1
	for u*2 <= steps && u*2*fmasPerStep <= 64 {
		u *= 2
	}
	return u
}

// countLoop is loop over K's steps: count times, or hi − lo times for a
// Batched TN product (whose K is the batch).
func (k *kb) countLoop(what string, cnt reg.Register, count int, body func()) {
	if !k.batchedK() {
		k.loop(what, cnt, count, body)
		return
	}
	l, done := k.label(what), k.label(what+"done")
	k.rangeCount(cnt)
	k.JZ(operand.LabelRef(done))
	k.Label(l)
	body()
	k.DECQ(cnt)
	k.JNZ(operand.LabelRef(l))
	k.Label(done)
}
