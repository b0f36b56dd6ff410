package asm

import (
	"fmt"

	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/ir"
)

// Fixed general-purpose register roles of the drivers and micro-kernels
// (micro.go has their contract). Physical registers keep the emitted code
// readable and the planner's budget exact; BP stays unused.
var (
	regStrA     = reg.RBX // A's row stride, or its k step (TN), in bytes
	regStrC     = reg.RCX // C's row stride (B's too, unpacked broadcast form)
	regK        = reg.R14 // k steps of a tile, or its examples (dot.go, exampleWalk)
	regBPanel   = reg.RSI // B at the current column panel
	regPanels   = reg.R13 // column-panel counter
	regATile    = reg.R8  // A at the current tile
	regCTile    = reg.R10 // C at the current tile
	regTiles    = reg.R12 // row tiles left in the panel
	regAWalk    = reg.RDX // A walking k inside a tile
	regBWalk    = reg.R9  // B walking k inside a tile
	regKCnt     = reg.R11 // k-loop counter
	regBase2    = reg.RAX // second base of strided rows
	regBase3    = reg.RDI // third base of strided rows
	regExamples = reg.R15 // examples left in a tile summed over them
	regPanelC   = reg.R15 // a row range's panel: C at its first row (rows.go; no row range sums examples)
)

// kb builds one kernel function for one path.
type kb struct {
	*build.Context
	m     ir.Matmul
	s     isa
	esize int
	lanes int
	masks *maskTable
	micro microSet // micro-kernels the driver calls
	nlab  int
	pack  operand.Mem // stack buffer: packed B panels, or an aligned vector (alignVector)
	saved operand.Mem // stack slot keeping regBPanel while the tiles read the pack
	packs bool        // whether the broadcast form packs B
	tpose bool        // an NT product in the broadcast form, B's panels transposed into the pack (tpack.go)
	chunk chunkSlots  // a product summed over examples, run a chunk of them at a time (dot.go)
}

func newKB(ctx *build.Context, m ir.Matmul, s isa, masks *maskTable) *kb {
	es := elemSize(m.DType)
	return &kb{Context: ctx, m: m, s: s, esize: es, lanes: s.lanes(es), masks: masks}
}

func (k *kb) f64() bool { return k.esize == 8 }

// label returns a fresh label name.
func (k *kb) label(what string) string {
	k.nlab++
	return fmt.Sprintf("%s%d", what, k.nlab)
}

// loop emits body count times: once inline, or in a DECQ/JNZ loop on cnt.
func (k *kb) loop(what string, cnt reg.Register, count int, body func()) {
	switch {
	case count <= 0:
	case count == 1:
		body()
	default:
		l := k.label(what)
		k.MOVQ(operand.U32(count), cnt)
		k.Label(l)
		body()
		k.DECQ(cnt)
		k.JNZ(operand.LabelRef(l))
	}
}

// addq adds a constant to a pointer register when it is not zero.
func (k *kb) addq(n int, r reg.Register) {
	switch {
	case n > 0:
		k.ADDQ(operand.U32(n), r)
	case n < 0:
		k.ADDQ(operand.I32(int32(n)), r)
	}
}

// mem is base+off.
func mem(base reg.Register, off int) operand.Mem {
	return operand.Mem{Base: base, Disp: off}
}

// paramAddr is the stack address of a parameter, for instructions that read
// it in place (avo's Load moves a float with SSE, mixing SSE into AVX code).
func (k *kb) paramAddr(name string) operand.Mem {
	b, err := k.Param(name).Resolve()
	if err != nil {
		panic("asm: " + err.Error())
	}
	return b.Addr
}

// vzero zeroes a vector register (VPXORD for EVEX-only registers).
func (k *kb) vzero(v reg.VecPhysical) {
	if k.s.vecBytes == 64 {
		k.VPXORD(v, v, v)
		return
	}
	k.VXORPS(v, v, v)
}

// vload loads a full vector.
func (k *kb) vload(m operand.Mem, v reg.VecPhysical) { k.VMOVUPS(m, v) }

// vstore stores a full vector.
func (k *kb) vstore(v reg.VecPhysical, m operand.Mem) { k.VMOVUPS(v, m) }

// fma is dst += x*y.
func (k *kb) fma(x, y, dst operand.Op) {
	if k.f64() {
		k.VFMADD231PD(x, y, dst)
		return
	}
	k.VFMADD231PS(x, y, dst)
}

// fmaBcast is dst += broadcast(m)*y (EVEX embedded broadcast).
func (k *kb) fmaBcast(m operand.Mem, y, dst operand.Op) {
	if k.f64() {
		k.VFMADD231PD_BCST(m, y, dst)
		return
	}
	k.VFMADD231PS_BCST(m, y, dst)
}

// bcast broadcasts the element at m into v.
func (k *kb) bcast(m operand.Mem, v reg.VecPhysical) {
	if k.f64() {
		k.VBROADCASTSD(m, v)
		return
	}
	k.VBROADCASTSS(m, v)
}

// loadScalar loads one element into the low lane of v, zeroing the rest.
func (k *kb) loadScalar(m operand.Mem, v reg.VecPhysical) {
	x := v.AsX()
	if k.f64() {
		k.VMOVSD(m, x)
		return
	}
	k.VMOVSS(m, x)
}

// vzeroupper ends the function's AVX use and returns.
func (k *kb) ret() {
	k.VZEROUPPER()
	k.RET()
}
