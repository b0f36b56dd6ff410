package asm

import (
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The broadcast form computes NN and TN products, and NT ones from a
// transposed copy of B (transpose.go), along rows of C:
//
//	C[i][j:j+V] += A(i,k) * B[k][j:j+V]
//
// with A(i,k) broadcast and B's row k loaded in vectors. Tiles are mr rows
// × w vectors of accumulators; column panels loop outermost so a panel of B
// (K × w·V) stays in L1 while the rows of A stream past it.

// bgeom is the byte geometry of the broadcast form.
type bgeom struct {
	kA, rA int // A(i,k) → A(i,k+1) and A(i,k) → A(i+1,k)
	rowB   int // B row k → k+1
	rowC   int
}

func (k *kb) bgeom() bgeom {
	e, m := k.esize, k.m
	g := bgeom{kA: e, rA: m.K * e, rowB: m.N * e, rowC: m.N * e}
	if m.TransA {
		g.kA, g.rA = m.M*e, e
	}
	return g
}

// emitBcast emits the body of an NN or TN kernel.
func (k *kb) emitBcast(p bplan) {
	g := k.bgeom()
	if k.s.opmask && k.m.N%k.lanes != 0 {
		k.setOpmask(k.m.N % k.lanes)
	}
	k.MOVQ(regB, regBCol)
	k.MOVQ(regC, regCCol)
	for _, cg := range p.groups {
		cg := cg
		step, stepB := cg.w*k.lanes*k.esize, cg.w*k.lanes*k.esize
		if k.m.TransB { // the panel is w·V rows of B
			stepB *= k.m.K
		}
		k.loop("panel", regJCnt, cg.count, func() {
			k.bpanel(cg, g)
			k.addq(stepB, regBCol)
			k.addq(step, regCCol)
		})
	}
}

// bpanel runs the row tiles of one column panel.
func (k *kb) bpanel(cg colGroup, g bgeom) {
	t := btile{kb: k, g: g, w: cg.w, masked: cg.tail < k.lanes}
	if t.masked && !k.s.opmask {
		t.mask = k.s.vec(k.s.nregs - 1)
		k.loadMask(cg.tail, t.mask)
	}
	if k.packs {
		k.packPanel(&t)
	}
	k.MOVQ(regA, regARow)
	k.MOVQ(regCCol, regCTile)
	k.rowTiles(cg.mr, k.m.M, t.emit, func(rows int) {
		k.addq(rows*g.rA, regARow)
		k.addq(rows*g.rowC, regCTile)
	})
}

// btile emits one mr×w tile; registers: accumulators 0..mr·w-1, then the
// w B vectors, then the broadcast register (AVX2); the mask is the last.
type btile struct {
	*kb
	g      bgeom
	w      int
	masked bool
	mask   reg.VecPhysical
	mr     int
}

func (t *btile) acc(r, v int) reg.VecPhysical { return t.s.vec(r*t.w + v) }
func (t *btile) bv(v int) reg.VecPhysical     { return t.s.vec(t.mr*t.w + v) }
func (t *btile) bc() reg.VecPhysical          { return t.s.vec(t.mr*t.w + t.w) }

// rowB is the byte step from B's row k to k+1: packed rows are w vectors.
func (t *btile) rowB() int {
	if t.packs {
		return t.w * t.s.vecBytes
	}
	return t.g.rowB
}

func (t *btile) isTail(v int) bool { return t.masked && v == t.w-1 }

func (t *btile) emit(mr int) {
	t.mr = mr
	t.Commentf("tile %d×%d", mr, t.w*t.lanes)
	t.initAcc()
	t.MOVQ(regARow, regAWalk)
	if t.packs {
		t.LEAQ(t.pack, regBWalk)
	} else {
		t.MOVQ(regBCol, regBWalk)
	}
	K := t.m.K
	u := unroll(K, mr*t.w)
	if t.batchedK() {
		u = rangeUnroll(K, mr*t.w)
	}
	t.kSteps(K, u, t.step, func(n int) {
		t.addq(n*t.rowB(), regBWalk)
		t.addq(n*t.g.kA, regAWalk)
	})
	t.storeAcc()
}

// step is one k: load B's row segment, then broadcast-FMA each row of A.
func (t *btile) step(s int) {
	boff, aoff := s*t.rowB(), s*t.g.kA
	for v := 0; v < t.w; v++ {
		m := mem(regBWalk, boff+v*t.s.vecBytes)
		if t.isTail(v) && !t.packs {
			t.maskedLoad(m, t.mask, t.bv(v))
		} else {
			t.vload(m, t.bv(v))
		}
	}
	for r := 0; r < t.mr; r++ {
		am := mem(regAWalk, aoff+r*t.g.rA)
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

func (t *btile) cmem(r, v int) operand.Mem {
	return mem(regCTile, r*t.g.rowC+v*t.s.vecBytes)
}

func (t *btile) initAcc() {
	for r := 0; r < t.mr; r++ {
		for v := 0; v < t.w; v++ {
			switch {
			case !t.m.Accumulate:
				t.vzero(t.acc(r, v))
			case t.isTail(v):
				t.maskedLoad(t.cmem(r, v), t.mask, t.acc(r, v))
			default:
				t.vload(t.cmem(r, v), t.acc(r, v))
			}
		}
	}
}

func (t *btile) storeAcc() {
	for r := 0; r < t.mr; r++ {
		for v := 0; v < t.w; v++ {
			if t.isTail(v) {
				t.maskedStore(t.acc(r, v), t.mask, t.cmem(r, v))
			} else {
				t.vstore(t.acc(r, v), t.cmem(r, v))
			}
		}
	}
}

// unroll picks how many k steps one loop iteration holds: all of them when
// the tile's whole k loop is short (no loop branch to mispredict at exit),
// else a power of two keeping the body near 64 FMAs.
func unroll(steps, fmasPerStep int) int {
	if steps*fmasPerStep <= maxFullUnroll {
		return max(steps, 1)
	}
	u := 1
	for u*2 <= steps && u*2*fmasPerStep <= 64 {
		u *= 2
	}
	return u
}

const maxFullUnroll = 512
