package asm

import (
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// Addressing with strides in registers, for the micro-kernels.

// walk is a pointer stepping along k, by an immediate number of bytes or by
// a stride register. An unrolled body addresses step s as at(s): register
// strides reach s = 0, 1 by scale and the body moves the pointer on by two
// steps after every odd one (next).
type walk struct {
	r      reg.Register
	imm    int          // bytes per step, when stride is nil
	stride reg.Register // bytes per step
	offs   []int        // else step s at offs[s] bytes (a window's taps; the caller moves r)
}

func (w walk) at(s, off int) operand.Mem {
	if w.offs != nil {
		return mem(w.r, off+w.offs[s])
	}
	if w.stride == nil {
		return mem(w.r, off+s*w.imm)
	}
	m := mem(w.r, off)
	if s%2 == 1 {
		m.Index, m.Scale = w.stride, 1
	}
	return m
}

// next is emitted after step s of a body of u steps.
func (k *kb) next(w walk, s, u int) {
	last := s == u-1
	switch {
	case w.stride == nil && last:
		k.addq(u*w.imm, w.r)
	case w.stride == nil:
	case s%2 == 1:
		k.LEAQ(operand.Mem{Base: w.r, Index: w.stride, Scale: 2}, w.r)
	case last:
		k.ADDQ(w.stride, w.r)
	}
}

// stridedRows addresses rows 0..n-1 at base + r·stride (n ≤ 10) with at
// most three base registers, rows 0, 3 and 5: from each, the stride scaled
// by 1, 2, 4 or 8 reaches the rows after it.
type stridedRows struct {
	bases  []reg.Register
	offs   []int
	stride reg.Register
	imms   []int // else row r at bases[0] + imms[r] bytes (a window's taps)
}

func newStridedRows(n int, stride reg.Register, bases ...reg.Register) stridedRows {
	offs := []int{0, 3, 5}
	nb := 1
	switch {
	case n > 10:
		panic("asm: more than 10 strided rows")
	case n > 6:
		nb = 3
	case n > 3:
		nb = 2
	}
	return stridedRows{bases: bases[:nb], offs: offs[:nb], stride: stride}
}

// setup points bases 1 and 2 at rows 3 and 5, from base 0.
func (k *kb) setupRows(t stridedRows) {
	if len(t.bases) > 1 {
		k.LEAQ(operand.Mem{Base: t.bases[0], Index: t.stride, Scale: 2}, t.bases[1])
		k.ADDQ(t.stride, t.bases[1])
	}
	if len(t.bases) > 2 {
		k.LEAQ(operand.Mem{Base: t.bases[1], Index: t.stride, Scale: 2}, t.bases[2])
	}
}

// at is row r's address plus disp.
func (t stridedRows) at(r, disp int) operand.Mem {
	if t.imms != nil {
		return mem(t.bases[0], disp+t.imms[r])
	}
	for j := len(t.offs) - 1; j >= 0; j-- {
		d := r - t.offs[j]
		switch d {
		case 0:
			return mem(t.bases[j], disp)
		case 1, 2, 4, 8:
			return operand.Mem{Base: t.bases[j], Index: t.stride, Scale: uint8(d), Disp: disp}
		}
	}
	panic("asm: row out of reach")
}

// advance moves every base on by n bytes.
func (k *kb) advanceRows(t stridedRows, n int) {
	for _, b := range t.bases {
		k.addq(n, b)
	}
}

// mulAdd adds n·stride to r, using tmp.
func (k *kb) mulAdd(n int, stride, tmp, r reg.Register) {
	switch n {
	case 1:
		k.ADDQ(stride, r)
	case 2, 4, 8:
		k.LEAQ(operand.Mem{Base: r, Index: stride, Scale: uint8(n)}, r)
	default:
		k.IMUL3Q(operand.U32(n), stride, tmp)
		k.ADDQ(tmp, r)
	}
}
