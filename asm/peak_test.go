package asm

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/pass"
	"github.com/mmcloughlin/avo/printer"
	"github.com/mmcloughlin/avo/reg"
)

// peakSources emits register-only FMA loops measuring a core's FP32 peak:
// peakAVX2(n) runs n×12 independent VFMADD231PS on YMM (192·n flops... ×2),
// peakAVX512(n) n×24 on ZMM; no loads, so only FMA issue bounds them.
func peakSources(pkg string) (s, stub []byte, err error) {
	ctx := build.NewContext()
	ctx.ConstraintExpr("gc,!purego")
	peakFunc(ctx, avx2, 12)
	peakFunc(ctx, avx512, 24)
	f, err := ctx.Result()
	if err != nil {
		return nil, nil, err
	}
	if err := pass.Compile.Execute(f); err != nil {
		return nil, nil, err
	}
	cfg := printer.Config{Name: Generator, Pkg: pkg}
	if s, err = printer.NewGoAsm(cfg).Print(f); err != nil {
		return nil, nil, err
	}
	stub, err = printer.NewStubs(cfg).Print(f)
	return s, stub, err
}

func peakFunc(ctx *build.Context, s isa, chains int) {
	ctx.Function("peak" + s.name)
	ctx.Attributes(attr.NOSPLIT)
	ctx.SignatureExpr("func(n int)")
	ctx.Doc(fmt.Sprintf("peak%s runs n iterations of %d independent FP32 FMAs on %d-byte vectors.", s.name, chains, s.vecBytes))
	ctx.Pragma("noescape")
	ctx.Load(ctx.Param("n"), reg.RCX)
	x, y := s.vec(chains), s.vec(chains+1)
	k := &kb{Context: ctx, s: s}
	for i := 0; i <= chains+1; i++ {
		k.vzero(s.vec(i))
	}
	ctx.Label("loop")
	for i := 0; i < chains; i++ {
		ctx.VFMADD231PS(x, y, s.vec(i))
	}
	ctx.DECQ(reg.RCX)
	ctx.JNZ(operand.LabelRef("loop"))
	ctx.VZEROUPPER()
	ctx.RET()
}
