package asm

import (
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The transposing pack: for small K the NT form's dot products spend much of
// each tile in horizontal reductions (NT32x64x64 ran at 76% of peak against
// 99% for NN32x64x64), so when planTransposed says so, an NT kernel copies
// each panel of Bᵀ — rows j..j+w·V of B, K-contiguous — into the stack
// buffer as K rows × w vectors and runs the broadcast form from there. The
// copy transposes 8×8 float32 blocks with VEX shuffles on both paths: rows
// r and r+4 share a YMM register (one per 128-bit lane), so a 4×4 transpose
// within lanes (unpack, then shuffle) yields whole 8-element columns. Rows
// past N are zero; columns past K are neither read (masked loads) nor
// stored.

// transposePanel packs the panel of Bᵀ at regBPanel.
func (k *kb) transposePanel(w int, masked bool) {
	rowK, rowP := k.m.K*k.esize, w*k.s.vecBytes
	rows := w * k.lanes // B rows (columns of C) of the panel
	if masked {
		rows = rows - k.lanes + k.m.N%k.lanes
	}
	for q := 0; q < w*k.lanes/8; q++ {
		n := min(max(rows-8*q, 0), 8)
		k.MOVQ(regBPanel, regBWalk)
		k.addq(8*q*rowK, regBWalk)
		k.LEAQ(k.pack.Offset(32*q), regAWalk)
		k.loop("transpose", regKCnt, k.m.K/8, func() {
			k.transposeBlock(n, 8, rowK, rowP)
			k.addq(32, regBWalk)
			k.addq(8*rowP, regAWalk)
		})
		if kt := k.m.K % 8; kt > 0 {
			k.transposeBlock(n, kt, rowK, rowP)
		}
	}
}

// transposeBlock transposes the block at regBWalk, n rows × kt columns, to
// regAWalk (kt rows of stride rowP), in two halves of four columns.
func (k *kb) transposeBlock(n, kt, rowK, rowP int) {
	for h := 0; h < 2; h++ {
		if cols := min(max(kt-4*h, 0), 4); cols > 0 {
			k.transposeHalf(n, cols, 16*h, rowK, rowP, 4*h)
		}
	}
}

// transposeHalf transposes columns off..off+cols (bytes off, cols ≤ 4) of n
// rows into rows k0..k0+cols of the pack; registers 0-3 hold the rows (r and
// r+4 in one register), 4-7 the unpacked pairs, 8 the column mask.
func (k *kb) transposeHalf(n, cols, off, rowK, rowP, k0 int) {
	x := func(i int) reg.VecPhysical { return k.s.vec(i).AsY().(reg.VecPhysical) }
	mask := x(8).AsX()
	if cols < 4 {
		k.masks.used = true
		k.VMOVDQU(maskSym.Offset((8-cols)*4), mask)
	}
	load := func(r int, dst reg.Register) {
		m := mem(regBWalk, r*rowK+off)
		if cols < 4 {
			k.VMASKMOVPS(m, mask, dst)
		} else {
			k.VMOVUPS(m, dst)
		}
	}
	for r := 0; r < 4; r++ {
		switch {
		case r >= n:
			k.VXORPS(x(r), x(r), x(r))
		default:
			load(r, x(r).AsX())
			if r+4 < n {
				load(r+4, x(4+r).AsX())
				k.VINSERTF128(operand.U8(1), x(4+r).AsX(), x(r), x(r))
			}
		}
	}
	k.VUNPCKLPS(x(1), x(0), x(4))
	k.VUNPCKHPS(x(1), x(0), x(5))
	k.VUNPCKLPS(x(3), x(2), x(6))
	k.VUNPCKHPS(x(3), x(2), x(7))
	k.VSHUFPS(operand.U8(0x44), x(6), x(4), x(0))
	k.VSHUFPS(operand.U8(0xee), x(6), x(4), x(1))
	k.VSHUFPS(operand.U8(0x44), x(7), x(5), x(2))
	k.VSHUFPS(operand.U8(0xee), x(7), x(5), x(3))
	for c := 0; c < cols; c++ {
		k.VMOVUPS(x(c), mem(regAWalk, (k0+c)*rowP))
	}
}
