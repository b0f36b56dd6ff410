package asm

import (
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The simulator's relu instructions: VMAXP[SD], VCMPP[SD] and VANDP[SD].

// lanesOf splits a vector into float64 values of es-byte elements.
func lanesOf(b []byte, es int) []float64 {
	out := make([]float64, len(b)/es)
	for i := range out {
		if es == 8 {
			out[i] = f64at(b, i*es)
		} else {
			out[i] = float64(f32at(b, i*es))
		}
	}
	return out
}

// maxp is VMAXP[SD] y, x, dst: per lane x > y ? x : y, so y when either is
// NaN or both are zero (Intel's MAXPS src1, src2 returns src2).
func (m *machine) maxp(ops []operand.Op, es int) {
	n := width(ops[2])
	y, x := m.src(ops[0], n), m.src(ops[1], n)
	xs, ys := lanesOf(x, es), lanesOf(y, es)
	out := make([]byte, n)
	for i := range xs {
		src := y
		if xs[i] > ys[i] {
			src = x
		}
		copy(out[i*es:][:es], src[i*es:][:es])
	}
	m.setVec(ops[2], out)
}

// cmpp is VCMPP[SD] imm, y, x, dst with the _CMP_GT_OQ predicate only:
// x > y per lane (false on NaN), into a vector of all-ones lanes or, on the
// AVX-512 path, an opmask (optionally ANDed with a writemask).
func (m *machine) cmpp(ops []operand.Op, es int) {
	if imm(ops[0]) != cmpGTOQ {
		panic("simulator: only VCMPP _CMP_GT_OQ is modelled")
	}
	n := width(ops[2])
	xs, ys := lanesOf(m.src(ops[2], n), es), lanesOf(m.src(ops[1], n), es)
	dst := ops[len(ops)-1].(reg.Register)
	if dst.Kind() == reg.KindOpmask {
		var bits uint64
		for i := range xs {
			if xs[i] > ys[i] {
				bits |= 1 << i
			}
		}
		if len(ops) == 5 {
			bits &= m.k[phys(ops[3].(reg.Register))]
		}
		m.k[phys(dst)] = bits
		return
	}
	out := make([]byte, n)
	for i := range xs {
		if xs[i] > ys[i] {
			for j := range es {
				out[i*es+j] = 0xff
			}
		}
	}
	m.setVec(dst, out)
}

// andp is VANDP[SD] y, x, dst: bitwise.
func (m *machine) andp(ops []operand.Op) {
	n := width(ops[2])
	a, b := m.src(ops[0], n), m.src(ops[1], n)
	for i := range a {
		a[i] &= b[i]
	}
	m.setVec(ops[2], a)
}

// esizeOf is the element size of a ...PS or ...PD opcode.
func esizeOf(op string) int {
	if op[len(op)-1] == 'D' {
		return 8
	}
	return 4
}
