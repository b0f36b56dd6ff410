package asm

import (
	"fmt"

	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/ir"
)

// The broadcast form computes NN and TN products along rows of C:
//
//	C[i][j:j+V] += A(i,k) * B[k][j:j+V]
//
// with A(i,k) broadcast and B's row k loaded in vectors. Tiles are mr rows
// × w vectors of accumulators; column panels loop outermost so a panel of B
// (K × w·V) stays in L1 while the rows of A stream past it. The driver
// (emitBcast) walks the panels; a micro-kernel (bcastTile) runs a panel's
// tiles of mr rows.

// emitBcast emits the driver of an NN or TN kernel.
func (k *kb) emitBcast(p bplan) {
	m, e := k.m, k.esize
	strA := m.K * e // NN: A(i,k) → A(i+1,k)
	switch {
	case m.TransA:
		strA = m.M * e // TN: A(i,k) → A(i,k+1)
	case m.Flip:
		strA = m.Taps * e // a weight read for its transposed convolution (ir.Window)
	}
	k.MOVQ(operand.U32(strA), regStrA)
	k.MOVQ(operand.U32(m.N*e), regStrC)
	k.Load(k.Param("b"), regBPanel)
	k.Load(k.Param("c"), regCTile)
	switch {
	case k.batchedRows():
		k.rangeOffset(regStrC, regCTile)
	case k.batchedK():
		k.rangeOffset(regStrC, regBPanel) // B's rows are C's width
	}
	switch {
	case k.batchedK():
		k.rangeCount(regK)
	case m.Windowed(): // the k loop runs over channels, their taps unrolled
		k.MOVQ(operand.U32(m.Channels()), regK)
	default:
		k.MOVQ(operand.U32(m.K), regK)
	}
	if k.s.opmask && m.N%k.lanes != 0 {
		k.setOpmask(m.N % k.lanes)
	}
	for _, cg := range p.groups {
		cg := cg
		back, backB := cg.back*k.esize, cg.back*k.esize
		if k.tpose { // B's columns are its rows
			backB *= m.K
		}
		k.loop("panel", regPanels, cg.count, func() {
			k.lastPanel(back > 0, func() {
				k.addq(-backB, regBPanel)
				k.addq(-back, regCTile)
			})
			k.bpanel(cg)
		})
	}
}

// lastPanel emits step, when wanted, to run before the last of a loop's
// panels (regPanels = 1 in a loop of at least two): stepping the pointers
// back so that its tiles end at C's last column.
func (k *kb) lastPanel(want bool, step func()) {
	if !want {
		return
	}
	skip := k.label("notlast")
	k.CMPQ(regPanels, operand.U8(1))
	k.JNE(operand.LabelRef(skip))
	step()
	k.Label(skip)
}

// bpanel runs the row tiles of one column panel and moves on to the next.
func (k *kb) bpanel(cg colGroup) {
	m, vb := k.m, k.s.vecBytes
	t := btile{nn: !m.TransA || m.M == 1, mr: cg.mr, w: cg.w, masked: cg.tail < k.lanes, accum: m.Accumulate, packed: k.packs,
		win: m.Window, aChan: m.Taps * k.esize, unroll: 1}
	if m.Flip {
		t.aChan = m.M * m.Taps * k.esize
	}
	if m.M == 1 && !m.Windowed() {
		t.unroll = max(k.s.rowUnroll, 1)
	}
	if t.masked && !k.s.opmask {
		k.loadMask(cg.tail, k.maskReg())
	}
	stepB := cg.w * vb
	switch {
	case k.tpose:
		stepB *= m.K // the panel's rows of B
		k.tposePanel(cg.w)
		k.MOVQ(regBPanel, k.saved)
		k.leaPack(regBPanel)
	case k.packs:
		k.packPanel(cg.w, t.masked)
		k.MOVQ(regBPanel, k.saved)
		k.leaPack(regBPanel)
	}
	k.Load(k.Param("a"), regATile)
	if m.Batched { // lo rows of A (NN) or k steps (TN): regStrA either way
		k.rangeOffset(regStrA, regATile)
	}
	aRow := k.esize // TN: A's columns are C's rows
	if !m.TransA {
		aRow = m.K * k.esize
	}
	k.rowCalls(cg.mr, m.M, aRow, func(rows int) {
		t := t
		t.mr = rows
		if rows == 1 {
			t = t.splitRow(k.s)
		}
		k.callTile(t)
	})
	k.nextPanelC(cg.w * vb)
	if k.packs {
		k.MOVQ(k.saved, regBPanel)
	}
	k.addq(stepB, regBPanel)
}

// stepC is the byte step from C's last row to the next panel's first.
func stepC(panel, rows, rowC int) int { return panel - rows*rowC }

// btile is a broadcast-form micro-kernel: mr×w tiles over a panel of B,
// A's rows strided (NN: regStrA apart, k contiguous) or contiguous (TN: k
// regStrA apart; with M = 1, A's one column is k-contiguous like an NN
// row); the last vector masked; C accumulated into; B packed (rows w
// vectors apart, not regStrC); windowed B (win.Taps > 0, NN only): regK
// channels of win.LdB elements, tap t read from win.Offset(t) on
// (ir.Window), A moving aChan bytes a channel; unroll k steps an iteration
// of the plain k loop; split accumulators of a single row (splitRow).
type btile struct {
	nn, masked, accum, packed bool
	mr, w, unroll, split      int
	win                       ir.Window
	aChan                     int
}

// splitRow gives a single-row tile of fewer than 8 vectors (a row range's
// remaining rows, one at a time) two accumulators per vector, even and odd
// k: its w FMAs a step would otherwise wait on each other's latency.
// Measured on Zen 5: NN32x64x64, whose 4 remaining rows ran as long as
// its 28 in 7-row tiles.
func (t btile) splitRow(s isa) btile {
	if t.w < 8 && 2*t.w+2 < s.nregs && t.win.Taps == 0 {
		t.split, t.unroll = 2, max(t.unroll, 2)
	}
	return t
}

func (k *kb) callTile(t btile) {
	form := "bcastTN"
	if t.nn {
		form = "bcastNN"
	}
	v := variants(t.masked, t.accum, t.packed)
	switch w := t.win; {
	case w.Taps > 0 && w.Row == 0:
		v += fmt.Sprintf("W%dx%d", w.Taps, w.LdB*k.esize)
	case w.Taps > 0:
		v += fmt.Sprintf("W%dx%dx%dr%ds%d", w.Taps/w.KW, w.KW, w.LdB*k.esize, w.Row*k.esize, w.Shift*k.esize)
	}
	if t.win.Flip {
		v += fmt.Sprintf("Flip%d", t.aChan)
	}
	switch {
	case t.split > 1:
		v = fmt.Sprintf("Split%d", t.split) + v
	case t.unroll > 1:
		v = fmt.Sprintf("K%d", t.unroll) + v
	}
	k.call(microName(form, t.mr, t.w*k.lanes, v, k), func(u *kb) {
		tk := btileKB{kb: u, btile: t}
		tk.emit()
	})
}

// variants names a micro-kernel's variants.
func variants(masked, acc, packed bool) string {
	v := ""
	if masked {
		v += "Mask"
	}
	if acc {
		v += "Acc"
	}
	if packed {
		v += "Packed"
	}
	return v
}

// btileKB emits a btile; registers: accumulators 0..mr·w-1, then the w B
// vectors, then the broadcast register (AVX2); the AVX2 mask is the last.
type btileKB struct {
	*kb
	btile
	a stridedRows // NN: A's rows
}

func (t *btileKB) acc(r, v int) reg.VecPhysical { return t.s.vec(r*t.w + v) }
func (t *btileKB) bv(v int) reg.VecPhysical     { return t.s.vec(t.mr*t.w + v) }
func (t *btileKB) bc() reg.VecPhysical          { return t.s.vec(t.mr*t.w + t.w) }
func (t *btileKB) isTail(v int) bool            { return t.masked && v == t.w-1 }

func (t *btileKB) emit() {
	t.Commentf("%d×%d tiles of C, regTiles of them down a panel", t.mr, t.w*t.lanes)
	if t.nn {
		t.a = newStridedRows(t.mr, regStrA, regAWalk, regBase2, regBase3)
	}
	aw, bw := t.walks()
	rows := t.label("rows")
	t.Label(rows)
	t.initAcc()
	t.MOVQ(regATile, regAWalk)
	if t.nn {
		t.setupRows(t.a)
	}
	t.MOVQ(regBPanel, regBWalk)
	if t.win.Taps > 0 {
		t.windowLoop(aw)
	} else {
		t.plainLoop(aw, bw)
	}
	t.storeAcc()
	if t.nn {
		t.mulAdd(t.mr, regStrA, regAWalk, regATile)
	} else {
		t.addq(t.mr*t.esize, regATile)
	}
	t.DECQ(regTiles)
	t.JNZ(operand.LabelRef(rows))
}

// aTap is the column of A that step s reads: s, or a mirrored tap.
func (t *btileKB) aTap(s int) int {
	if t.win.Flip {
		return t.win.Taps - 1 - s
	}
	return s
}

// plainLoop is the k loop: unroll steps an iteration, A and B walking on.
func (t *btileKB) plainLoop(aw, bw walk) {
	t.kLoop(regK, t.unroll, func(s, u int) {
		t.step(aw, bw, s)
		if t.nn {
			if s == u-1 {
				t.advanceRows(t.a, u*t.esize)
			}
		} else {
			t.next(aw, s, u)
		}
		t.next(bw, s, u)
	})
}

// windowLoop is the k loop of a windowed B: per channel, its taps
// unrolled (tap s reads A at column +s and B from its offset), then A's
// rows move on by the taps and B by a padded channel.
func (t *btileKB) windowLoop(aw walk) {
	w := t.win
	bw := walk{r: regBWalk, offs: make([]int, w.Taps)}
	for s := range bw.offs {
		bw.offs[s] = w.Offset(s) * t.esize
	}
	loop := t.label("ch")
	t.MOVQ(regK, regKCnt)
	t.Label(loop)
	for s := 0; s < w.Taps; s++ {
		t.step(aw, bw, s)
	}
	t.advanceRows(t.a, t.aChan)
	t.addq(w.LdB*t.esize, regBWalk)
	t.DECQ(regKCnt)
	t.JNZ(operand.LabelRef(loop))
}

// walks are the k walks of A (TN) and B.
func (t *btileKB) walks() (walk, walk) {
	aw := walk{r: regAWalk, stride: regStrA}
	bw := walk{r: regBWalk, stride: regStrC}
	if t.packed {
		bw = walk{r: regBWalk, imm: t.w * t.s.vecBytes}
	}
	return aw, bw
}

// step is one k: load B's row segment, then broadcast-FMA each row of A.
// A single row broadcasts A once and reads B in its FMAs: each B vector is
// used once.
func (t *btileKB) step(aw, bw walk, s int) {
	if t.mr == 1 && t.win.Taps == 0 {
		t.stepRow(aw, bw, s)
		return
	}
	for v := 0; v < t.w; v++ {
		m := bw.at(s, v*t.s.vecBytes)
		if t.isTail(v) && !t.packed {
			t.maskedLoad(m, t.maskReg(), t.bv(v))
		} else {
			t.vload(m, t.bv(v))
		}
	}
	for r := 0; r < t.mr; r++ {
		am := aw.at(s, r*t.esize)
		if t.nn {
			am = t.a.at(r, t.aTap(s)*t.esize)
		}
		if t.s.bcastMem {
			for v := 0; v < t.w; v++ {
				t.fmaBcast(am, t.bv(v), t.acc(r, v))
			}
			continue
		}
		t.bcast(am, t.bc())
		for v := 0; v < t.w; v++ {
			t.fma(t.bv(v), t.bc(), t.acc(r, v))
		}
	}
}

// stepRow is step for a single row of A: A(0,k) broadcast into the
// register after the accumulators, a masked B vector loaded into the next.
func (t *btileKB) stepRow(aw, bw walk, s int) {
	am := aw.at(s, 0)
	if t.nn {
		am = t.a.at(0, s*t.esize)
	}
	bc, tmp := t.s.vec(t.w), t.s.vec(t.w+1)
	t.bcast(am, bc)
	for v := 0; v < t.w; v++ {
		m := bw.at(s, v*t.s.vecBytes)
		acc := t.accRow(v, s%max(t.split, 1))
		if t.isTail(v) && !t.packed {
			t.maskedLoad(m, t.maskReg(), tmp)
			t.fma(tmp, bc, acc)
			continue
		}
		t.fma(m, bc, acc)
	}
}

// accRow is a single row's accumulator of vector v for split sp: split 0
// is acc(0, v), split 1 follows the broadcast and tail registers.
func (t *btileKB) accRow(v, sp int) reg.VecPhysical {
	if sp == 0 {
		return t.acc(0, v)
	}
	return t.s.vec(t.w + 2 + v)
}

// initAcc zeroes the accumulators, or loads C's rows (walking regBWalk).
func (t *btileKB) initAcc() {
	for v := 0; v < t.w && t.split > 1; v++ {
		t.vzero(t.accRow(v, 1))
	}
	if t.accum {
		t.MOVQ(regCTile, regBWalk)
	}
	for r := 0; r < t.mr; r++ {
		for v := 0; v < t.w; v++ {
			m := mem(regBWalk, v*t.s.vecBytes)
			switch {
			case !t.accum:
				t.vzero(t.acc(r, v))
			case t.isTail(v):
				t.maskedLoad(m, t.maskReg(), t.acc(r, v))
			default:
				t.vload(m, t.acc(r, v))
			}
		}
		if t.accum && r < t.mr-1 {
			t.ADDQ(regStrC, regBWalk)
		}
	}
}

// storeAcc stores the tile, moving regCTile to the next tile's.
func (t *btileKB) storeAcc() {
	for v := 0; v < t.w && t.split > 1; v++ {
		t.vadd(t.accRow(v, 1), t.acc(0, v), t.acc(0, v))
	}
	for r := 0; r < t.mr; r++ {
		for v := 0; v < t.w; v++ {
			m := mem(regCTile, v*t.s.vecBytes)
			if t.isTail(v) {
				t.maskedStore(t.acc(r, v), t.maskReg(), m)
			} else {
				t.vstore(t.acc(r, v), m)
			}
		}
		t.ADDQ(regStrC, regCTile)
	}
}

// kLoop runs body(s, u) for s < u, count/u times, then body(0, 1) count%u
// times; count ≥ 1 is in register n.
func (k *kb) kLoop(n operand.Op, u int, body func(s, u int)) {
	loop, rem, done := k.label("k"), k.label("krem"), k.label("kdone")
	k.MOVQ(n, regKCnt)
	if u > 1 {
		k.SHRQ(operand.U8(log2(u)), regKCnt)
		k.JZ(operand.LabelRef(rem))
	}
	k.Label(loop)
	for s := 0; s < u; s++ {
		body(s, u)
	}
	k.DECQ(regKCnt)
	k.JNZ(operand.LabelRef(loop))
	if u == 1 {
		return
	}
	k.Label(rem)
	k.MOVQ(n, regKCnt)
	k.ANDQ(operand.U32(u-1), regKCnt)
	k.JZ(operand.LabelRef(done))
	rl := k.label("k")
	k.Label(rl)
	body(0, 1)
	k.DECQ(regKCnt)
	k.JNZ(operand.LabelRef(rl))
	k.Label(done)
}

func log2(u int) int {
	n := 0
	for 1<<n < u {
		n++
	}
	return n
}

// maskReg is the AVX2 mask register of tails, the last vector register.
func (k *kb) maskReg() reg.VecPhysical { return k.s.vec(k.s.nregs - 1) }
