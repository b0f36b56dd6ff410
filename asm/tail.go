package asm

import (
	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/spec"
)

// Tails: a kernel masks at most one thing, the last partial vector of a
// row of C (broadcast form) or of a row of A and B (dot form). AVX-512 keeps
// that mask in K1 for the whole function; AVX2 loads a VMASKMOVPS mask from
// a static table: eight all-ones dwords then eight zero dwords, so the mask
// for n dwords starts at byte (8-n)*4.

// maskTable is the file's read-only data: the AVX2 tail masks, and the
// constants of eˣ (exp.go) per dtype, each emitted if a kernel used it.
type maskTable struct{ used, exp32, exp64, expB32, expB64 bool }

var maskSym = operand.Mem{Symbol: operand.NewStaticSymbol("nngenMasks"), Base: reg.StaticBase}

// emit appends the table to the file if any kernel used it.
func (t *maskTable) emit(ctx *build.Context) {
	if t.exp32 {
		emitExpTable(ctx, spec.Float32)
	}
	if t.exp64 {
		emitExpTable(ctx, spec.Float64)
	}
	if t.expB32 {
		emitExpBTable(ctx, spec.Float32)
	}
	if t.expB64 {
		emitExpBTable(ctx, spec.Float64)
	}
	if !t.used {
		return
	}
	ctx.StaticGlobal("nngenMasks")
	ctx.DataAttributes(attr.RODATA | attr.NOPTR)
	for i := 0; i < 16; i++ {
		v := uint32(0)
		if i < 8 {
			v = 0xffffffff
		}
		ctx.AppendDatum(operand.U32(v))
	}
}

// setOpmask loads K1 with the mask of n elements (AVX-512 only).
func (k *kb) setOpmask(n int) {
	k.MOVL(operand.U32(uint32(1)<<n-1), reg.EDX)
	k.KMOVW(reg.EDX, reg.K1)
}

// loadMask loads the AVX2 mask of n elements into v.
func (k *kb) loadMask(n int, v reg.VecPhysical) {
	k.masks.used = true
	k.VMOVDQU(maskSym.Offset((8-n*k.esize/4)*4), v)
}

// maskedLoad loads the first elements of a vector, zeroing the rest; mask
// is the AVX2 mask register (unused with opmasks).
func (k *kb) maskedLoad(m operand.Mem, mask, v reg.VecPhysical) {
	switch {
	case !k.s.opmask:
		k.VMASKMOVPS(m, mask, v)
	case k.f64():
		k.VMOVUPD_Z(m, reg.K1, v)
	default:
		k.VMOVUPS_Z(m, reg.K1, v)
	}
}

// maskedStore stores the first elements of v.
func (k *kb) maskedStore(v, mask reg.VecPhysical, m operand.Mem) {
	switch {
	case !k.s.opmask:
		k.VMASKMOVPS(v, mask, m)
	case k.f64():
		k.VMOVUPD(v, reg.K1, m)
	default:
		k.VMOVUPS(v, reg.K1, m)
	}
}
