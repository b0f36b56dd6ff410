package asm

import (
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The dot form computes NT products, C[i][j] = A[i][:]·B[j][:], with both
// operands K-contiguous: an mr×nr tile keeps one vector accumulator per
// (i, j), walks K in vectors (the partial last one masked) and reduces each
// row's accumulators horizontally into C[i][j:j+nr]. Column blocks loop
// outermost so the nr rows of B stay in L1 while A streams past.

// emitDot emits the body of an NT kernel.
func (k *kb) emitDot(p dplan) {
	rowK := k.m.K * k.esize
	if k.s.opmask && k.m.K%k.lanes != 0 {
		k.setOpmask(k.m.K % k.lanes)
	}
	k.MOVQ(regB, regBCol)
	k.MOVQ(regC, regCCol)
	k.loop("cols", regJCnt, k.m.N/p.nr, func() {
		k.dotCols(p.mr, p.nr)
		k.addq(p.nr*rowK, regBCol)
		k.addq(p.nr*k.esize, regCCol)
	})
	if r := k.m.N % p.nr; r > 0 {
		k.dotCols(p.mr, r)
	}
}

// dotCols runs the row tiles of one block of nr columns.
func (k *kb) dotCols(mr, nr int) {
	t := dtile{kb: k, nr: nr, rowK: k.m.K * k.esize}
	k.MOVQ(regA, regARow)
	k.MOVQ(regCCol, regCTile)
	k.rowTiles(mr, k.m.M, t.emit, func(rows int) {
		k.addq(rows*t.rowK, regARow)
		k.addq(rows*k.m.N*k.esize, regCTile)
	})
}

// dtile emits one mr×nr tile; registers: A rows 0..mr-1, the B register
// mr, accumulators from base (AVX-512 keeps group+1 low registers free for
// the VEX-only horizontal adds).
type dtile struct {
	*kb
	nr, mr int
	rowK   int
}

func (t *dtile) a(r int) reg.VecPhysical { return t.s.vec(r) }
func (t *dtile) bt() reg.VecPhysical     { return t.s.vec(t.mr) }
func (t *dtile) acc(r, c int) reg.VecPhysical {
	base := t.mr + 1
	if t.s.vecBytes == 64 && base < t.group()+1 {
		base = t.group() + 1
	}
	return t.s.vec(base + r*t.nr + c)
}

// group is how many accumulators one 128-bit horizontal reduction serves.
func (k *kb) group() int { return 16 / k.esize }

func (t *dtile) emit(mr int) {
	t.mr = mr
	t.Commentf("tile %d×%d", mr, t.nr)
	for r := 0; r < mr; r++ {
		for c := 0; c < t.nr; c++ {
			if t.m.Accumulate {
				t.loadScalar(t.cmem(r, c), t.acc(r, c))
			} else {
				t.vzero(t.acc(r, c))
			}
		}
	}
	t.MOVQ(regARow, regAWalk)
	t.MOVQ(regBCol, regBWalk)
	steps, tl := t.m.K/t.lanes, t.m.K%t.lanes
	u := unroll(steps, mr*t.nr)
	vb := t.s.vecBytes
	t.loop("k", regKCnt, steps/u, func() {
		for s := 0; s < u; s++ {
			t.step(s*vb, 0)
		}
		t.addq(u*vb, regAWalk)
		t.addq(u*vb, regBWalk)
	})
	for s := 0; s < steps%u; s++ {
		t.step(s*vb, 0)
	}
	if tl > 0 {
		t.step(steps%u*vb, tl)
	}
	for r := 0; r < mr; r++ {
		t.reduceRow(r)
	}
}

func (t *dtile) cmem(r, c int) operand.Mem {
	return mem(regCTile, r*t.m.N*t.esize+c*t.esize)
}

// step is one vector of k at byte offset off; tl > 0 masks to tl elements.
func (t *dtile) step(off, tl int) {
	for r := 0; r < t.mr; r++ {
		t.load(mem(regAWalk, off+r*t.rowK), t.a(r), tl)
	}
	for c := 0; c < t.nr; c++ {
		t.load(mem(regBWalk, off+c*t.rowK), t.bt(), tl)
		for r := 0; r < t.mr; r++ {
			t.fma(t.bt(), t.a(r), t.acc(r, c))
		}
	}
}

// load loads a vector, or its first tl elements. The AVX2 mask goes into
// the destination itself: VMASKMOVPS reads it before writing.
func (t *dtile) load(m operand.Mem, v reg.VecPhysical, tl int) {
	switch {
	case tl == 0:
		t.vload(m, v)
	case t.s.opmask:
		t.maskedLoad(m, v, v)
	default:
		t.loadMask(tl, v)
		t.maskedLoad(m, v, v)
	}
}
