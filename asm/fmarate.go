package asm

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The dispatcher's one-time calibration (templates.go, nngenWideFast) times
// these register-only FMA loops: AVX-512 pays only where its FMAs retire at
// about twice the AVX2 rate (Zen 5, Intel server cores with two 512-bit
// pipes); where a core splits them into 256-bit halves (Zen 4) the wider
// vectors gain nothing and lose on the lanes they waste, so auto takes AVX2.

// rateChains is the number of independent FMAs per iteration: enough to
// cover two pipes of latency up to 6.
const rateChains = 12

// rateFunc is the generated package's probe for path s.
func rateFunc(s isa) string { return "nngenFMARate" + s.name }

// emitFMALoop emits name(n int): n iterations of chains independent FP32
// FMAs on s's vectors, no memory operands, so only FMA issue bounds it.
func emitFMALoop(ctx *build.Context, name string, s isa, chains int) {
	ctx.Function(name)
	ctx.Attributes(attr.NOSPLIT)
	ctx.SignatureExpr("func(n int)")
	ctx.Doc(fmt.Sprintf("%s runs n iterations of %d independent FP32 FMAs on %d-byte vectors.", name, chains, s.vecBytes))
	ctx.Pragma("noescape")
	ctx.Load(ctx.Param("n"), reg.RCX)
	x, y := s.vec(chains), s.vec(chains+1)
	k := &kb{Context: ctx, s: s}
	for i := 0; i <= chains+1; i++ {
		k.vzero(s.vec(i))
	}
	l := name + "Loop"
	ctx.Label(l)
	for i := 0; i < chains; i++ {
		ctx.VFMADD231PS(x, y, s.vec(i))
	}
	ctx.DECQ(reg.RCX)
	ctx.JNZ(operand.LabelRef(l))
	ctx.VZEROUPPER()
	ctx.RET()
}

// emitRateProbes emits the calibration loops of every path.
func emitRateProbes(ctx *build.Context) {
	for _, s := range paths {
		emitFMALoop(ctx, rateFunc(s), s, rateChains)
	}
}
