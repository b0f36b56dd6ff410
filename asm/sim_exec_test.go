package asm

import (
	"encoding/binary"
	"fmt"
	"math"

	avoir "github.com/mmcloughlin/avo/ir"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// exec executes one non-branch instruction (Go operand order: sources, then
// destination).
func (m *machine) exec(in *avoir.Instruction) {
	ops, op := in.Operands, in.Opcode
	z := len(in.Suffixes) > 0 && in.Suffixes[0] == "Z"
	bcst := len(in.Suffixes) > 0 && in.Suffixes[0] == "BCST"
	switch op {
	case "MOVQ", "MOVL":
		m.mov(ops[0], ops[1])
	case "LEAQ":
		m.gp[phys(ops[1].(reg.Register))] = m.addr(ops[0])
	case "ADDQ":
		m.gp[phys(ops[1].(reg.Register))] += m.val(ops[0])
	case "SHRQ", "ANDQ":
		r := &m.gp[phys(ops[1].(reg.Register))]
		if op == "SHRQ" {
			*r >>= imm(ops[0])
		} else {
			*r &= imm(ops[0])
		}
		m.setFlags(*r)
	case "SUBQ":
		r := &m.gp[phys(ops[1].(reg.Register))]
		*r -= m.load64(ops[0])
		m.setFlags(*r)
	case "CMPQ": // Go order: CMPQ a, b compares a with b
		m.setFlags(m.load64(ops[0]) - m.load64(ops[1]))
	case "CMOVQLT":
		if m.lt {
			m.gp[phys(ops[1].(reg.Register))] = m.load64(ops[0])
		}
	case "NEGQ":
		r := &m.gp[phys(ops[0].(reg.Register))]
		*r = -*r
		m.setFlags(*r)
	case "XORL", "XORQ": // of a register with itself: zero, as the upper half
		m.gp[phys(ops[1].(reg.Register))] = 0
		m.setFlags(0)
	case "TESTQ": // of a register with itself
		m.setFlags(m.gp[phys(ops[0].(reg.Register))])
	case "DIVQ": // RDX:RAX ÷ r, with RDX zero here
		d := m.gp[phys(ops[0].(reg.Register))]
		ax, dx := &m.gp[phys(reg.RAX)], &m.gp[phys(reg.RDX)]
		if *dx != 0 || d == 0 {
			panic("simulator: DIVQ of a 128-bit dividend or by zero")
		}
		*ax, *dx = *ax/d, *ax%d
	case "IMULQ":
		m.gp[phys(ops[1].(reg.Register))] *= m.val(ops[0])
	case "IMUL3Q":
		m.gp[phys(ops[2].(reg.Register))] = imm(ops[0]) * m.val(ops[1])
	case "DECQ":
		r := &m.gp[phys(ops[0].(reg.Register))]
		*r--
		m.setFlags(*r)
	case "KMOVW":
		m.k[phys(ops[1].(reg.Register))] = m.gp[phys(ops[0].(reg.Register))] & 0xffff
	case "VPXORD", "VXORPS":
		a, b := m.src(ops[0], width(ops[2])), m.src(ops[1], width(ops[2]))
		for i := range a {
			a[i] ^= b[i]
		}
		m.setVec(ops[2], a)
	case "VMOVUPS", "VMOVUPD", "VMOVDQU":
		m.movu(ops, z, map[string]int{"VMOVUPD": 8}[op])
	case "VMASKMOVPS":
		m.maskmov(ops)
	case "VBROADCASTSS", "VBROADCASTSD":
		n := 4
		if op == "VBROADCASTSD" {
			n = 8
		}
		e := m.src(ops[0], n)
		out := make([]byte, width(ops[1]))
		for i := 0; i < len(out); i += n {
			copy(out[i:], e)
		}
		m.setVec(ops[1], out)
	case "VFMADD231PS", "VFMADD231PD":
		m.fma(ops, bcst, op == "VFMADD231PD")
	case "VEXTRACTF64X4", "VEXTRACTF128":
		v := m.getVec(ops[1])
		h := len(v) / 2
		m.setVec(ops[2], v[int(imm(ops[0]))*h:][:h])
	case "VADDPS", "VADDPD", "VHADDPS", "VHADDPD", "VMULPS", "VMULPD", "VSUBPS", "VSUBPD":
		m.arith(op, ops)
	case "VMAXPS", "VMAXPD":
		m.maxp(ops, esizeOf(op))
	case "VCMPPS", "VCMPPD":
		m.cmpp(ops, esizeOf(op))
	case "VANDPS", "VANDPD":
		m.andp(ops)
	case "VUNPCKLPS", "VUNPCKHPS", "VSHUFPS":
		m.shuffle(op, ops)
	case "VSHUFF32X4", "VSHUFF64X2":
		m.shuffleLanes(ops)
	case "VINSERTF128":
		v := m.src(ops[2], 32)
		copy(v[16*imm(ops[0]):][:16], m.src(ops[1], 16))
		m.setVec(ops[3], v)
	case "VMOVSS", "VMOVSD":
		n := 4
		if op == "VMOVSD" {
			n = 8
		}
		if operand.IsMem(ops[0]) {
			m.setVec(ops[1], m.src(ops[0], n))
		} else {
			copy(m.access(m.addr(ops[1]), n, true), m.getVec(ops[0])[:n])
		}
	case "VEXTRACTPS":
		i := int(imm(ops[0]))
		copy(m.access(m.addr(ops[2]), 4, true), m.getVec(ops[1])[4*i:4*i+4])
	case "VZEROUPPER":
		for i := 0; i < 16; i++ {
			clear(m.vec[i][16:])
		}
	default:
		panic(fmt.Sprintf("simulator: unsupported %s", in.OpcodeWithSuffixes()))
	}
}

// setFlags sets the flags the simulated branches read from a result
// (signed, without overflow: the counts and offsets here are small).
func (m *machine) setFlags(v uint64) { m.zf, m.lt = v == 0, int64(v) < 0 }

// val is an immediate's or a general register's value.
func (m *machine) val(op operand.Op) uint64 {
	if r, ok := op.(reg.Register); ok {
		return m.gp[phys(r)]
	}
	return imm(op)
}

// load64 is a register, an immediate or 8 bytes of memory.
func (m *machine) load64(op operand.Op) uint64 {
	if operand.IsMem(op) {
		return binary.LittleEndian.Uint64(m.access(m.addr(op), 8, false))
	}
	return m.val(op)
}

func (m *machine) mov(src, dst operand.Op) {
	var v uint64
	switch {
	case operand.IsMem(dst):
		binary.LittleEndian.PutUint64(m.access(m.addr(dst), 8, true), m.val(src))
		return
	case operand.IsMem(src):
		v = binary.LittleEndian.Uint64(m.access(m.addr(src), 8, false))
	case operand.IsRegister(src):
		v = m.gp[phys(src.(reg.Register))]
	default:
		v = imm(src)
	}
	if dst.(reg.Register).Size() == 4 {
		v &= 0xffffffff
	}
	m.gp[phys(dst.(reg.Register))] = v
}

// movu is VMOVUPS/VMOVUPD/VMOVDQU: plain load or store, masked zeroing load
// (m, K, v) or masked store (v, K, m) with esize-byte elements.
func (m *machine) movu(ops []operand.Op, z bool, esize int) {
	if esize == 0 {
		esize = 4
	}
	switch {
	case len(ops) == 2 && operand.IsMem(ops[1]):
		copy(m.access(m.addr(ops[1]), width(ops[0]), true), m.getVec(ops[0]))
	case len(ops) == 2:
		m.setVec(ops[1], m.src(ops[0], width(ops[1])))
	case z:
		k, n := m.k[phys(ops[1].(reg.Register))], width(ops[2])
		out := make([]byte, n)
		for e := 0; e < n/esize; e++ {
			if k>>e&1 != 0 {
				copy(out[e*esize:], m.access(m.addr(ops[0])+uint64(e*esize), esize, false))
			}
		}
		m.setVec(ops[2], out)
	default:
		k, v := m.k[phys(ops[1].(reg.Register))], m.getVec(ops[0])
		for e := 0; e < len(v)/esize; e++ {
			if k>>e&1 != 0 {
				copy(m.access(m.addr(ops[2])+uint64(e*esize), esize, true), v[e*esize:][:esize])
			}
		}
	}
}

// maskmov is VMASKMOVPS: per dword, the mask's sign bit selects.
func (m *machine) maskmov(ops []operand.Op) {
	mask := m.getVec(ops[1])
	on := func(d int) bool { return mask[4*d+3]&0x80 != 0 }
	if operand.IsMem(ops[0]) {
		out := make([]byte, width(ops[2]))
		for d := 0; d < len(out)/4; d++ {
			if on(d) {
				copy(out[4*d:], m.access(m.addr(ops[0])+uint64(4*d), 4, false))
			}
		}
		m.setVec(ops[2], out)
		return
	}
	v := m.getVec(ops[0])
	for d := 0; d < len(v)/4; d++ {
		if on(d) {
			copy(m.access(m.addr(ops[2])+uint64(4*d), 4, true), v[4*d:4*d+4])
		}
	}
}

// fma is dst += x*y per lane, x broadcast from memory with .BCST.
func (m *machine) fma(ops []operand.Op, bcst, f64 bool) {
	n := width(ops[2])
	es := 4
	if f64 {
		es = 8
	}
	var x []byte
	if bcst {
		e := m.src(ops[0], es)
		for len(x) < n {
			x = append(x, e...)
		}
	} else {
		x = m.src(ops[0], n)
	}
	y, d := m.src(ops[1], n), m.getVec(ops[2])
	out := make([]byte, n)
	for i := 0; i < n; i += es {
		if f64 {
			r := math.FMA(f64at(x, i), f64at(y, i), f64at(d, i))
			binary.LittleEndian.PutUint64(out[i:], math.Float64bits(r))
		} else {
			r := float32(math.FMA(float64(f32at(x, i)), float64(f32at(y, i)), float64(f32at(d, i))))
			binary.LittleEndian.PutUint32(out[i:], math.Float32bits(r))
		}
	}
	m.setVec(ops[2], out)
}

// arith is VADDP[SD] and VHADDP[SD] (Go order: y, x, dst; hadd pairs within
// each 128-bit lane: x's pairs, then y's).
func (m *machine) arith(op string, ops []operand.Op) {
	n := width(ops[2])
	y, x := m.src(ops[0], n), m.src(ops[1], n)
	f64 := op[len(op)-1] == 'D'
	es := 4
	if f64 {
		es = 8
	}
	get := func(b []byte, i int) float64 {
		if f64 {
			return f64at(b, i*es)
		}
		return float64(f32at(b, i*es))
	}
	out := make([]byte, n)
	per := 16 / es // elements per 128-bit lane
	for i := 0; i < n/es; i++ {
		var r float64
		if op[1:5] == "HADD" {
			lane, j := i/per*per, i%per
			src := x
			if j >= per/2 {
				src, j = y, j-per/2
			}
			r = get(src, lane+2*j) + get(src, lane+2*j+1)
		} else {
			r = binop(op, get(x, i), get(y, i), f64)
		}
		if f64 {
			binary.LittleEndian.PutUint64(out[i*es:], math.Float64bits(r))
		} else {
			binary.LittleEndian.PutUint32(out[i*es:], math.Float32bits(float32(r)))
		}
	}
	m.setVec(ops[2], out)
}

// shuffle is VUNPCKLPS, VUNPCKHPS (Go order y, x, dst: x's and y's low or
// high pairs interleaved) and VSHUFPS (imm, y, x, dst: two of x's dwords,
// then two of y's), within each 128-bit lane.
func (m *machine) shuffle(op string, ops []operand.Op) {
	if op == "VSHUFPS" {
		sel := imm(ops[0])
		ops = ops[1:]
		n := width(ops[2])
		y, x := m.src(ops[0], n), m.src(ops[1], n)
		out := make([]byte, n)
		for l := 0; l < n; l += 16 {
			for d := 0; d < 4; d++ {
				src := x
				if d >= 2 {
					src = y
				}
				e := int(sel >> (2 * d) & 3)
				copy(out[l+4*d:][:4], src[l+4*e:][:4])
			}
		}
		m.setVec(ops[2], out)
		return
	}
	n := width(ops[2])
	y, x := m.src(ops[0], n), m.src(ops[1], n)
	base := 0
	if op == "VUNPCKHPS" {
		base = 2
	}
	out := make([]byte, n)
	for l := 0; l < n; l += 16 {
		for d := 0; d < 2; d++ {
			copy(out[l+8*d:][:4], x[l+4*(base+d):][:4])
			copy(out[l+8*d+4:][:4], y[l+4*(base+d):][:4])
		}
	}
	m.setVec(ops[2], out)
}

// shuffleLanes is VSHUFF32X4 and VSHUFF64X2 (imm, y, x, dst): dst's
// 128-bit lanes 0 and 1 are two of x's, 2 and 3 two of y's.
func (m *machine) shuffleLanes(ops []operand.Op) {
	sel := imm(ops[0])
	y, x := m.src(ops[1], 64), m.src(ops[2], 64)
	out := make([]byte, 64)
	for l := range 4 {
		src := x
		if l >= 2 {
			src = y
		}
		copy(out[16*l:][:16], src[16*int(sel>>(2*l)&3):][:16])
	}
	m.setVec(ops[3], out)
}

// binop is VADD, VMUL or VSUB (x − y), rounded once to the element type.
func binop(op string, x, y float64, f64 bool) float64 {
	var r float64
	switch op[1:4] {
	case "ADD":
		r = x + y
	case "MUL":
		r = x * y
	default:
		r = x - y
	}
	if !f64 {
		return float64(float32(r)) // double rounding is innocuous: 53 ≥ 2·24+2
	}
	return r
}

func f32at(b []byte, i int) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(b[i:])) }
func f64at(b []byte, i int) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b[i:])) }
