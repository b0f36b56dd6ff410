package asm

import (
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/pass"
	"github.com/mmcloughlin/avo/printer"
)

// peakSources emits register-only FMA loops measuring a core's FP32 peak:
// peakAVX2(n) runs n×12 independent VFMADD231PS on YMM (192·n flops... ×2),
// peakAVX512(n) n×24 on ZMM; no loads, so only FMA issue bounds them.
func peakSources(pkg string) (s, stub []byte, err error) {
	ctx := build.NewContext()
	ctx.ConstraintExpr("gc,!purego")
	emitFMALoop(ctx, "peakAVX2", avx2, 12)
	emitFMALoop(ctx, "peakAVX512", avx512, 24)
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
