package asm

import "github.com/mmcloughlin/avo/operand"

// The packed floating-point operations in the kernel's dtype, one place
// for every emitter. Operands are in Go assembly order: the second source
// (which may be memory) first, then the first source, then dst.

// vadd is dst = x + y.
func (k *kb) vadd(y, x, dst operand.Op) {
	if k.f64() {
		k.VADDPD(y, x, dst)
		return
	}
	k.VADDPS(y, x, dst)
}

// vsub is dst = x − y.
func (k *kb) vsub(y, x, dst operand.Op) {
	if k.f64() {
		k.VSUBPD(y, x, dst)
		return
	}
	k.VSUBPS(y, x, dst)
}

// vmul is dst = x*y.
func (k *kb) vmul(y, x, dst operand.Op) {
	if k.f64() {
		k.VMULPD(y, x, dst)
		return
	}
	k.VMULPS(y, x, dst)
}

// vdiv is dst = x / y.
func (k *kb) vdiv(y, x, dst operand.Op) {
	if k.f64() {
		k.VDIVPD(y, x, dst)
		return
	}
	k.VDIVPS(y, x, dst)
}

// vsqrt is dst = √x, correctly rounded.
func (k *kb) vsqrt(x, dst operand.Op) {
	if k.f64() {
		k.VSQRTPD(x, dst)
		return
	}
	k.VSQRTPS(x, dst)
}

// vmax is dst = max(x, y); MAXP returns its second source, y, when either
// is NaN or both are zero.
func (k *kb) vmax(y, x, dst operand.Op) {
	if k.f64() {
		k.VMAXPD(y, x, dst)
		return
	}
	k.VMAXPS(y, x, dst)
}

// vmin is dst = min(x, y), y when either is NaN.
func (k *kb) vmin(y, x, dst operand.Op) {
	if k.f64() {
		k.VMINPD(y, x, dst)
		return
	}
	k.VMINPS(y, x, dst)
}

// hadd is dst = hadd(x, y).
func (k *kb) hadd(y, x, dst operand.Op) {
	if k.f64() {
		k.VHADDPD(y, x, dst)
		return
	}
	k.VHADDPS(y, x, dst)
}

// ixor is dst = x XOR y on the bits (VPXORD for EVEX-only registers).
func (k *kb) ixor(y, x, dst operand.Op) {
	if k.s.vecBytes == 64 {
		k.VPXORD(y, x, dst)
		return
	}
	k.VPXOR(y, x, dst)
}
