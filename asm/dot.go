package asm

import (
	"fmt"

	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/ir"
)

// The dot form computes NT products, C[i][j] = A[i][:]·B[j][:], with both
// operands K-contiguous: an mr×nr tile keeps one vector accumulator per
// (i, j), walks K in vectors (the partial last one masked) and reduces each
// row's accumulators horizontally into C[i][j:j+nr]. Column blocks loop
// outermost so the nr rows of B stay in L1 while A streams past. The driver
// (emitDot) walks the blocks; a micro-kernel (dtile) runs a block's tiles.

// emitDot emits the driver of an NT kernel.
func (k *kb) emitDot(p dplan) {
	m, e := k.m, k.esize
	k.Load(k.Param("b"), regBPanel)
	k.Load(k.Param("c"), regCTile)
	if k.batchedRows() {
		k.rangeOffset(m.N*e, regCTile)
	}
	k.MOVQ(operand.U32(m.K*e), regStrA)
	k.MOVQ(operand.U32(m.N*e), regStrC)
	k.MOVQ(operand.U32(m.K/k.lanes), regK)
	if tl := m.K % k.lanes; tl > 0 && k.s.opmask {
		k.setOpmask(tl)
	} else if tl > 0 {
		k.loadMask(tl, k.maskReg())
	}
	k.loop("cols", regPanels, m.N/p.nr, func() { k.dotCols(p.mr, p.nr) }) // windowed: one channel a block
	if r := m.N % p.nr; r > 0 {
		k.dotCols(p.mr, r)
	}
}

// dotCols runs the row tiles of one block of nr columns and moves on.
func (k *kb) dotCols(mr, nr int) {
	m, e := k.m, k.esize
	t := dtile{mr: mr, nr: nr, tail: m.K%k.lanes > 0, acc: m.Accumulate, zero: m.K < k.lanes, win: m.Window}
	k.Load(k.Param("a"), regATile)
	if k.batchedRows() {
		k.rangeOffset(m.K*e, regATile)
	}
	k.rowCalls(mr, m.M, func(rows int) {
		t := t
		t.mr = rows
		k.callDot(t)
	})
	k.nextPanelC(nr * e)
	if m.Windowed() {
		k.addq(m.LdB*e, regBPanel)
		return
	}
	k.addq(nr*m.K*e, regBPanel)
}

// dtile is a dot-form micro-kernel: mr×nr tiles, K's last vector masked
// (tail), C accumulated into; zero when K has no full vector; with a
// window (win.Taps = nr), B's rows are a padded channel's taps
// (ir.Window), at win.Offset(c) elements from the block's start.
type dtile struct {
	mr, nr          int
	tail, acc, zero bool
	win             ir.Window
}

func (k *kb) callDot(t dtile) {
	v := variants(false, t.acc, false)
	if t.tail {
		v = "Tail" + v
	}
	if t.zero {
		v = "Short" + v
	}
	if w := t.win; w.Taps > 0 {
		v += fmt.Sprintf("W%dx%ds%d", w.KW, w.Row*k.esize, (w.Shift+1)*k.esize)
	}
	k.call(microName("dot", t.mr, t.nr, v, k), func(u *kb) {
		dk := dtileKB{kb: u, dtile: t}
		dk.emit()
	})
}

// dtileKB emits a dtile; registers: A rows 0..mr-1, the B register mr,
// accumulators from base (AVX-512 keeps group+1 low registers free for the
// VEX-only horizontal adds); the AVX2 mask is the last.
type dtileKB struct {
	*kb
	dtile
	a, b stridedRows
}

func (t *dtileKB) av(r int) reg.VecPhysical { return t.s.vec(r) }
func (t *dtileKB) bt() reg.VecPhysical      { return t.s.vec(t.mr) }
func (t *dtileKB) acc(r, c int) reg.VecPhysical {
	base := t.mr + 1
	if t.s.vecBytes == 64 && base < t.group()+1 {
		base = t.group() + 1
	}
	return t.s.vec(base + r*t.nr + c)
}

// group is how many accumulators one 128-bit horizontal reduction serves.
func (k *kb) group() int { return 16 / k.esize }

func (t *dtileKB) emit() {
	t.Commentf("%d×%d tiles of C, regTiles of them down a block of columns", t.mr, t.nr)
	pool := []reg.Register{regBWalk, regBase2, regBase3}
	t.b = newStridedRows(t.nr, regStrA, pool...)
	if t.win.Taps > 0 {
		t.b = stridedRows{bases: pool[:1], imms: make([]int, t.nr)}
		for c := range t.b.imms {
			t.b.imms[c] = t.win.Offset(c) * t.esize
		}
	}
	t.a = newStridedRows(t.mr, regStrA, append([]reg.Register{regAWalk}, pool[len(t.b.bases):]...)...)
	rows := t.label("rows")
	t.Label(rows)
	if t.dtile.acc {
		t.MOVQ(regCTile, regKCnt)
	}
	for r := 0; r < t.mr; r++ {
		for c := 0; c < t.nr; c++ {
			switch {
			case t.dtile.acc:
				t.loadScalar(mem(regKCnt, c*t.esize), t.acc(r, c))
			default:
				t.vzero(t.acc(r, c))
			}
		}
		if t.dtile.acc && r < t.mr-1 {
			t.ADDQ(regStrC, regKCnt)
		}
	}
	t.MOVQ(regATile, regAWalk)
	t.setupRows(t.a)
	t.MOVQ(regBPanel, regBWalk)
	t.setupRows(t.b)
	vb := t.s.vecBytes
	if !t.zero {
		t.kLoop(regK, dotUnroll, func(s, u int) {
			t.step(s*vb, false)
			if s == u-1 {
				t.advanceRows(t.a, u*vb)
				t.advanceRows(t.b, u*vb)
			}
		})
	}
	if t.tail {
		t.step(0, true)
	}
	for r := 0; r < t.mr; r++ {
		t.reduceRow(r)
		t.ADDQ(regStrC, regCTile)
	}
	t.mulAdd(t.mr, regStrA, regKCnt, regATile)
	t.DECQ(regTiles)
	t.JNZ(operand.LabelRef(rows))
}

// dotUnroll is the k vectors of one iteration of a dot-form tile's loop.
const dotUnroll = 1

// cmem is C[i][j+c] of the row being stored (regCTile walks the rows).
func (t *dtileKB) cmem(c int) operand.Mem { return mem(regCTile, c*t.esize) }

// step is one vector of k at byte offset off, masked when tail.
func (t *dtileKB) step(off int, tail bool) {
	for r := 0; r < t.mr; r++ {
		t.load(t.a.at(r, off), t.av(r), tail)
	}
	for c := 0; c < t.nr; c++ {
		t.load(t.b.at(c, off), t.bt(), tail)
		for r := 0; r < t.mr; r++ {
			t.fma(t.bt(), t.av(r), t.acc(r, c))
		}
	}
}

// load loads a vector, or its first elements under the tail mask.
func (t *dtileKB) load(m operand.Mem, v reg.VecPhysical, tail bool) {
	if tail {
		t.maskedLoad(m, t.maskReg(), v)
		return
	}
	t.vload(m, v)
}
