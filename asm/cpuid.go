package asm

import (
	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/reg"
)

// Feature detection is emitted into the generated package itself so that it
// imports only the standard library: two tiny functions wrapping CPUID and
// XGETBV, used by the dispatch code in gofile.go.

const (
	cpuidFunc  = "nngenCPUID"
	xgetbvFunc = "nngenXGETBV"
)

func emitCPUID(ctx *build.Context) {
	ctx.Function(cpuidFunc)
	ctx.Attributes(attr.NOSPLIT)
	ctx.SignatureExpr("func(leaf, sub uint32) (eax, ebx, ecx, edx uint32)")
	ctx.Doc(cpuidFunc + " executes CPUID with EAX=leaf, ECX=sub.")
	ctx.Load(ctx.Param("leaf"), reg.EAX)
	ctx.Load(ctx.Param("sub"), reg.ECX)
	ctx.CPUID()
	ctx.Store(reg.EAX, ctx.Return("eax"))
	ctx.Store(reg.EBX, ctx.Return("ebx"))
	ctx.Store(reg.ECX, ctx.Return("ecx"))
	ctx.Store(reg.EDX, ctx.Return("edx"))
	ctx.RET()
}

func emitXGETBV(ctx *build.Context) {
	ctx.Function(xgetbvFunc)
	ctx.Attributes(attr.NOSPLIT)
	ctx.SignatureExpr("func() (eax, edx uint32)")
	ctx.Doc(xgetbvFunc + " returns XCR0, the register states the OS saves.")
	ctx.XORL(reg.ECX, reg.ECX)
	ctx.XGETBV()
	ctx.Store(reg.EAX, ctx.Return("eax"))
	ctx.Store(reg.EDX, ctx.Return("edx"))
	ctx.RET()
}
