package asm

import (
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/ir"
)

// The softmax kernel (ir.Softmax, ir/softmax.go), AVX-512 only
// (ir.Elementwise.HasAVX2): per row of N logits, the maximum in 16 partials
// from t[0], then e^(t − max) stored and summed in 16 partials, each
// reduced by halving. A row's last partial vector (N mod lanes elements)
// runs merge-masked under K1, so that its lanes past the row leave the
// partials as they were.

// Registers of the softmax kernel: its pointers and the rows left.
var (
	regSmExps = reg.RAX
	regSmT    = reg.RBX
	regSmMx   = reg.RCX
	regSmSum  = reg.RSI
	regSmRows = reg.R14
)

// sm builds the softmax kernel.
type sm struct {
	*xb
	pc   int               // vectors per chunk of 16 partials
	acc  []reg.VecPhysical // the partials
	m    reg.VecPhysical   // the row's maximum, broadcast
	tmp  reg.VecPhysical
	temp [5]reg.VecPhysical // x and eˣ's scratch
}

// emitSoftmax emits the body of the softmax kernel (the function is open).
func emitSoftmax(k *kb, e ir.Elementwise) {
	if !k.s.opmask {
		panic("asm: the softmax kernel has no AVX2 form (ir.Elementwise.HasAVX2)")
	}
	w := &sm{xb: &xb{kb: k, e: e, bcst: true}, pc: ir.LNChunk / k.lanes}
	for q := range w.pc {
		w.acc = append(w.acc, k.s.vec(q))
	}
	w.m, w.tmp = k.s.vec(4), k.s.vec(10)
	for i := range w.temp {
		w.temp[i] = k.s.vec(5 + i)
	}
	for i, p := range e.PtrParams() {
		k.Load(k.Param(p).Base(), []reg.Register{regSmExps, regSmT, regSmMx, regSmSum}[i])
	}
	k.Load(k.Param("sum").Len(), regSmRows)
	if tl := e.N % k.lanes; tl > 0 { // the same tail in every row
		k.setOpmask(tl)
	}
	done, rows := k.label("smdone"), k.label("smrows")
	k.TESTQ(regSmRows, regSmRows)
	k.JZ(operand.LabelRef(done))
	k.Label(rows)
	w.row()
	k.addq(e.N*k.esize, regSmT)
	k.addq(e.N*k.esize, regSmExps)
	k.addq(k.esize, regSmMx)
	k.addq(k.esize, regSmSum)
	k.DECQ(regSmRows)
	k.JNZ(operand.LabelRef(rows))
	k.Label(done)
	k.ret()
}

// row computes one row: its maximum, exponentials and sum.
func (w *sm) row() {
	for _, a := range w.acc {
		w.bcast(mem(regSmT, 0), a)
	}
	w.chunks([]reg.Register{regSmT}, func(q, off, tl int) {
		if tl == 0 {
			w.vmax(mem(regSmT, off), w.acc[q], w.acc[q])
		} else { // lanes past the row keep their partial
			w.maskedMax(mem(regSmT, off), w.acc[q])
		}
	})
	mx := w.halve16(w.acc, w.esize, w.tmp, halveMax)
	w.storeLow(mx, mem(regSmMx, 0))
	w.broadcastLow(mx, w.m)
	for _, a := range w.acc {
		w.vzero(a)
	}
	w.chunks([]reg.Register{regSmT, regSmExps}, func(q, off, tl int) {
		x := w.temp[0]
		if tl > 0 {
			w.maskedLoad(mem(regSmT, off), nil, x) // under K1: no AVX2 mask register
		} else {
			w.vload(mem(regSmT, off), x)
		}
		w.vsub(w.m, x, x)
		w.exp(x, w.temp[1], w.temp[2], w.temp[3], w.temp[4])
		if tl == 0 {
			w.vstore(x, mem(regSmExps, off))
			w.vadd(x, w.acc[q], w.acc[q])
		} else { // e^(0 − max) in the lanes past the row: not stored, not added
			w.maskedStore(x, nil, mem(regSmExps, off))
			w.maskedAdd(x, w.acc[q])
		}
	})
	w.storeLow(w.halve16(w.acc, w.esize, w.tmp, halveAdd), mem(regSmSum, 0))
}

// chunks runs body over the row: the whole chunks of 16 elements in a
// loop, advancing ptrs (moved back after), then the last chunk's vectors,
// tl > 0 the number of elements of a partial one. q is the vector's place
// in its chunk, off its byte offset from ptrs.
func (w *sm) chunks(ptrs []reg.Register, body func(q, off, tl int)) {
	vb, chunkBytes, whole := w.s.vecBytes, ir.LNChunk*w.esize, w.e.N/ir.LNChunk
	w.loop("smchunk", regKCnt, whole, func() {
		for q := range w.pc {
			body(q, q*vb, 0)
		}
		for _, r := range ptrs {
			w.addq(chunkBytes, r)
		}
	})
	rest := w.e.N % ir.LNChunk
	for q := 0; q*w.lanes < rest; q++ {
		tl := 0
		if left := rest - q*w.lanes; left < w.lanes {
			tl = left
		}
		body(q, q*vb, tl)
	}
	for _, r := range ptrs {
		w.addq(-whole*chunkBytes, r)
	}
}

// maskedMax is acc = max(acc, m) in the lanes of K1, the rest unchanged.
func (w *sm) maskedMax(m operand.Mem, acc reg.VecPhysical) {
	if w.f64() {
		w.VMAXPD(m, acc, reg.K1, acc)
		return
	}
	w.VMAXPS(m, acc, reg.K1, acc)
}

// maskedAdd is acc += x in the lanes of K1, the rest unchanged.
func (w *sm) maskedAdd(x, acc reg.VecPhysical) {
	if w.f64() {
		w.VADDPD(x, acc, reg.K1, acc)
		return
	}
	w.VADDPS(x, acc, reg.K1, acc)
}

// storeLow stores x's low element at m.
func (k *kb) storeLow(x reg.VecPhysical, m operand.Mem) {
	if k.f64() {
		k.VMOVSD(x.AsX(), m)
		return
	}
	k.VMOVSS(x.AsX(), m)
}

// broadcastLow broadcasts x's low lane into dst.
func (k *kb) broadcastLow(x, dst reg.VecPhysical) {
	if k.f64() {
		k.VBROADCASTSD(x.AsX(), dst)
		return
	}
	k.VBROADCASTSS(x.AsX(), dst)
}
