package asm

// A small x86 simulator for the instructions the emitters use, so the
// AVX-512 kernels are checked on machines without AVX-512 (this project's
// machines have none). The same simulator runs the AVX2 kernels, which the
// hardware conformance test (internal/kerneltest) also runs: agreement there
// is what makes the simulator's semantics credible. It is strict where
// hardware is lenient: every unmasked access must stay inside one buffer,
// and only c may be written.

import (
	"encoding/binary"
	"fmt"

	avoir "github.com/mmcloughlin/avo/ir"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

type region struct {
	name     string
	lo, hi   uint64
	writable bool
}

type machine struct {
	mem     []byte
	regions []region
	args    []uint64 // c, a, b
	frame   uint64   // address of the argument frame (FP)
	masks   uint64   // address of the static mask table
	stack   uint64   // address of the local frame (hardware SP)
	gp      [16]uint64
	vec     [32][64]byte
	k       [8]uint64
	zf, lt  bool              // zero and signed less-than flags
	funcs   []*avoir.Function // the file's functions, for CALL
}

// newMachine lays out c, a, b (in bytes) and the mask table with gaps.
func newMachine(c, a, b []byte) *machine {
	m := &machine{}
	place := func(name string, data []byte, w bool) uint64 {
		addr := uint64(len(m.mem)) + 4096
		m.mem = append(m.mem, make([]byte, 4096)...)
		m.mem = append(m.mem, data...)
		m.regions = append(m.regions, region{name, addr, addr + uint64(len(data)), w})
		return addr
	}
	m.mem = make([]byte, 4096)
	m.args = []uint64{place("c", c, true), place("a", a, false), place("b", b, false)}
	m.setFrame(place("frame", make([]byte, 64), false))
	tbl := make([]byte, 64)
	for i := 0; i < 8; i++ {
		binary.LittleEndian.PutUint32(tbl[4*i:], 0xffffffff)
	}
	m.masks = place("masks", tbl, false)
	m.stack = place("stack", make([]byte, 64*1024), true)
	m.mem = append(m.mem, make([]byte, 4096)...)
	return m
}

func (m *machine) bytesOf(name string) []byte {
	for _, r := range m.regions {
		if r.name == name {
			return m.mem[r.lo:r.hi]
		}
	}
	panic(name)
}

// access checks that [addr, addr+n) lies inside one buffer.
func (m *machine) access(addr uint64, n int, write bool) []byte {
	for _, r := range m.regions {
		if addr >= r.lo && addr+uint64(n) <= r.hi {
			if write && !r.writable {
				panic(fmt.Sprintf("write to read-only %s", r.name))
			}
			return m.mem[addr : addr+uint64(n)]
		}
	}
	panic(fmt.Sprintf("access of %d bytes at %#x outside every buffer", n, addr))
}

func (m *machine) addr(op operand.Op) uint64 {
	x := op.(operand.Mem)
	switch x.Base {
	case reg.StaticBase:
		return m.masks + uint64(x.Disp)
	case reg.StackPointer:
		return m.stack + uint64(x.Disp)
	case reg.FramePointer:
		return m.frame + uint64(x.Disp)
	}
	a := m.gp[phys(x.Base)] + uint64(int64(x.Disp))
	if x.Index != nil {
		a += m.gp[phys(x.Index)] * uint64(x.Scale)
	}
	return a
}

func phys(r reg.Register) reg.Index { return reg.ToPhysical(r).PhysicalIndex() }

func imm(op operand.Op) uint64 {
	switch v := op.(type) {
	case operand.U8:
		return uint64(v)
	case operand.U32:
		return uint64(v)
	case operand.U64:
		return uint64(v)
	case operand.I32:
		return uint64(int64(v))
	}
	panic(fmt.Sprintf("immediate %T", op))
}

// width is a vector register's size in bytes.
func width(op operand.Op) int { return int(op.(reg.Register).Size()) }

// setVec writes n bytes to a vector register, zeroing the rest (VEX/EVEX).
func (m *machine) setVec(op operand.Op, b []byte) {
	v := &m.vec[phys(op.(reg.Register))]
	*v = [64]byte{}
	copy(v[:], b)
}

func (m *machine) getVec(op operand.Op) []byte {
	v := m.vec[phys(op.(reg.Register))]
	return v[:width(op)]
}

// src reads a vector operand of n bytes from a register or memory.
func (m *machine) src(op operand.Op, n int) []byte {
	if operand.IsMem(op) {
		return append([]byte(nil), m.access(m.addr(op), n, false)...)
	}
	return append([]byte(nil), m.vec[phys(op.(reg.Register))][:n]...)
}

// run executes fn with c, a, b's addresses as arguments.
func (m *machine) run(fn *avoir.Function) {
	nodes := fn.Nodes
	labels := map[string]int{}
	for i, n := range nodes {
		if l, ok := n.(avoir.Label); ok {
			labels[string(l)] = i
		}
	}
	for pc, steps := 0, 0; pc < len(nodes); pc++ {
		if steps++; steps > 1e8 {
			panic("runaway")
		}
		in, ok := nodes[pc].(*avoir.Instruction)
		if !ok {
			continue
		}
		switch in.Opcode {
		case "RET":
			return
		case "JNZ", "JZ", "JNE", "JGE":
			taken := map[string]bool{"JZ": m.zf, "JNZ": !m.zf, "JNE": !m.zf, "JGE": !m.lt}[in.Opcode]
			if taken {
				pc = labels[string(in.Operands[0].(operand.LabelRef))]
			}
		case "CALL":
			m.run(m.callee(in.Operands[0].(operand.Mem).Symbol.Name))
		default:
			m.exec(in)
		}
	}
	panic("fell off the end")
}

// callee is the static function sym (·name) of m.funcs.
func (m *machine) callee(sym string) *avoir.Function {
	for _, f := range m.funcs {
		if "·"+f.Name == sym+"<>" {
			return f
		}
	}
	panic("simulator: no function " + sym)
}

// setFrame writes the pointer arguments into the frame at addr.
func (m *machine) setFrame(addr uint64) {
	m.frame = addr
	for i, a := range m.args {
		binary.LittleEndian.PutUint64(m.mem[addr+uint64(8*i):], a)
	}
}
