package asm

import (
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// reduceRow sums each accumulator of tile row r horizontally and stores the
// sums to C[i+r][j:j+nr], group() columns at a time.
func (t *dtileKB) reduceRow(r int) {
	g := t.group()
	for c0 := 0; c0 < t.nr; c0 += g {
		n := min(g, t.nr-c0)
		regs := make([]reg.VecPhysical, n)
		for q := range regs {
			regs[q] = t.acc(r, c0+q)
		}
		x := t.reduceGroup(regs)
		t.storeLanes(x, t.cmem(c0), n)
	}
}

// reduceGroup leaves sum(regs[q]) in lane q of the returned XMM register.
// AVX-512 first folds each ZMM into a low (VEX-reachable) register.
func (t *dtileKB) reduceGroup(regs []reg.VecPhysical) reg.Register {
	g := t.group()
	tmp := t.s.vec(t.mr)
	if t.s.vecBytes == 64 {
		tmp = t.s.vec(g)
		for q, z := range regs {
			t.VEXTRACTF64X4(operand.U8(1), z, tmp.AsY())
			t.vadd(tmp, z, t.s.vec(q))
			regs[q] = t.s.vec(q)
		}
	}
	ys := make([]reg.Register, len(regs))
	for q, v := range regs {
		ys[q] = v.AsY()
	}
	for level := 1; level < g; level *= 2 {
		var next []reg.Register
		for i := 0; i < len(ys); i += 2 {
			x, y := ys[i], ys[min(i+1, len(ys)-1)]
			t.hadd(y, x, x)
			next = append(next, x)
		}
		ys = next
	}
	x := ys[0].(reg.VecPhysical).AsX()
	t.VEXTRACTF128(operand.U8(1), ys[0], tmp.AsX())
	t.vadd(tmp.AsX(), x, x)
	return x
}

// storeLanes stores the first n elements of XMM register x to m.
func (k *kb) storeLanes(x reg.Register, m operand.Mem, n int) {
	switch {
	case n*k.esize == 16:
		k.VMOVUPS(x, m)
	case n*k.esize == 8:
		k.VMOVSD(x, m)
	case n == 3:
		k.VMOVSD(x, m)
		k.VEXTRACTPS(operand.U8(2), x, m.Offset(8))
	default:
		k.VMOVSS(x, m)
	}
}
