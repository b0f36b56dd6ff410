package asm

import (
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// halveOp is the operation halve16 combines partials with: a sum (layer
// norm, softmax's Σ) or MAXPS's maximum (softmax's max).
type halveOp int

const (
	halveAdd halveOp = iota
	halveMax
)

// halve16 combines the 16 partials held in accs (vectors of elements of
// esize bytes, partial j in lane j mod lanes of accs[j / lanes]) by
// halving, partial j with j+w for w = 8, 4, 2, 1, as ir's Generic twins
// do, leaving the result in the low lane of accs[0]'s XMM register; tmp is
// scratch. Each step is op(first source p[j], second source p[j+w]), the
// order MAXPS's NaN and ±0 rule depends on.
func (k *kb) halve16(accs []reg.VecPhysical, esize int, tmp reg.VecPhysical, op halveOp) reg.VecPhysical {
	packed := map[halveOp][2]func(...operand.Op){
		halveAdd: {k.VADDPS, k.VADDPD},
		halveMax: {k.VMAXPS, k.VMAXPD},
	}[op]
	scalar := map[halveOp][2]func(...operand.Op){
		halveAdd: {k.VADDSS, k.VADDSD},
		halveMax: {k.VMAXSS, k.VMAXSD},
	}[op]
	f := packed[0]
	if esize == 8 {
		f = packed[1]
	}
	for len(accs) > 1 { // the halves in separate registers
		h := len(accs) / 2
		for i := 0; i < h; i++ {
			f(accs[i+h], accs[i], accs[i])
		}
		accs = accs[:h]
	}
	a := accs[0]
	if k.s.vecBytes == 64 {
		k.VEXTRACTF64X4(operand.U8(1), a, tmp.AsY())
		f(tmp.AsY(), a.AsY(), a.AsY())
	}
	if k.s.vecBytes == 64 { // the EVEX form, which reaches registers 16–31
		k.VEXTRACTF32X4(operand.U8(1), a.AsY(), tmp.AsX())
	} else {
		k.VEXTRACTF128(operand.U8(1), a.AsY(), tmp.AsX())
	}
	f(tmp.AsX(), a.AsX(), a.AsX())
	x := a.AsX()
	if esize == 8 {
		k.VUNPCKHPD(x, x, tmp.AsX())
		scalar[1](tmp.AsX(), x, x)
		return a
	}
	k.VMOVHLPS(x, x, tmp.AsX())
	f(tmp.AsX(), x, x)
	k.VMOVSHDUP(x, tmp.AsX())
	scalar[0](tmp.AsX(), x, x)
	return a
}
