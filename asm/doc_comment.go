package asm

import (
	"fmt"

	"github.com/nngen/nngen/ir"
)

// kernelDoc is the stub's doc comment: what the kernel computes, as the
// reference loop of ir.Matmul with the shape filled in.
func kernelDoc(m ir.Matmul, s isa) []string {
	req := "AVX2 and FMA"
	if s == avx512 {
		req = "AVX-512F"
	}
	head := fmt.Sprintf("%s%s computes, with %s instructions,", m.Name(), s.name, req)
	return append([]string{head, ""}, referenceLoop(m)...)
}

// referenceLoop is ir.Matmul's loop for m, indented as a Go doc code block.
func referenceLoop(m ir.Matmul) []string {
	aik := fmt.Sprintf("a[i*%d+k]", m.K)
	if m.TransA {
		aik = fmt.Sprintf("a[k*%d+i]", m.M)
	}
	bkj := fmt.Sprintf("b[k*%d+j]", m.N)
	switch {
	case m.Windowed() && m.TransB: // direct convolution: ir.Window
		bkj = "b[" + m.Window.Index("j", "k") + "]"
	case m.Windowed():
		bkj = "b[" + m.Window.Index("k", "j") + "]"
		aik = "a[" + m.Window.AIndex("i", "k", m.M, m.K) + "]"
	case m.TransB:
		bkj = fmt.Sprintf("b[j*%d+k]", m.K)
	}
	init := "var s " + goType(m)
	if m.Accumulate {
		init = fmt.Sprintf("s := c[i*%d+j]", m.N)
	}
	iLo, iHi, kLo, kHi := "0", fmt.Sprint(m.M), "0", fmt.Sprint(m.K)
	switch { // a Batched product's row range (rows.go)
	case m.Batched && m.TransA:
		kLo, kHi = "lo", "hi"
	case m.Batched:
		iLo, iHi = "lo", "hi"
	}
	return []string{
		fmt.Sprintf("\tfor i := %s; i < %s; i++ {", iLo, iHi),
		fmt.Sprintf("\t\tfor j := 0; j < %d; j++ {", m.N),
		"\t\t\t" + init,
		fmt.Sprintf("\t\t\tfor k := %s; k < %s; k++ {", kLo, kHi),
		fmt.Sprintf("\t\t\t\ts += %s * %s", aik, bkj),
		"\t\t\t}",
		fmt.Sprintf("\t\t\tc[i*%d+j] = s", m.N),
		"\t\t}",
		"\t}",
	}
}
