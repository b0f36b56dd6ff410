package asm

import (
	"fmt"
	"sort"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

// ElemOp is the operation of an elementwise kernel.
type ElemOp int

const (
	AddRow   ElemOp = iota // dst[i] += src[i]: bias, residual and col2im adds
	AddConst               // v[i] += c: a convolution's bias (7.35)
)

// Elementwise is a row operation over N elements, the length compiled in
// as an Update's: a loop of whole vectors and a masked tail, no length
// argument to test. Each is one add per element, rounded as the Generic
// loop rounds it, so the results are bit-identical.
type Elementwise struct {
	Op    ElemOp
	DType spec.DType
	N     int
}

var elemNames = [...]string{AddRow: "addRow", AddConst: "addConst"}

// Name is the kernel's function name: addRow784f32, addConst64f64.
func (e Elementwise) Name() string {
	suffix := "f32"
	if e.DType == spec.Float64 {
		suffix = "f64"
	}
	return fmt.Sprintf("%s%d%s", elemNames[e.Op], e.N, suffix)
}

// Signature is the kernel's Go signature, shared by Generic, the assembly
// variants and the dispatcher.
func (e Elementwise) Signature() string {
	t, n := e.DType.String(), e.N
	if e.Op == AddConst {
		return fmt.Sprintf("func(v *[%d]%s, c %s)", n, t, t)
	}
	return fmt.Sprintf("func(dst, src *[%d]%s)", n, t)
}

func (e Elementwise) args() string {
	if e.Op == AddConst {
		return "v, c"
	}
	return "dst, src"
}

// ReferenceLoop is the kernel's loop, the body of Generic and the doc of
// its assembly variants (one tab of indentation).
func (e Elementwise) ReferenceLoop() []string {
	body := "\t\tdst[i] += src[i]"
	if e.Op == AddConst {
		body = "\t\tv[i] += c"
	}
	return []string{fmt.Sprintf("\tfor i := range %d {", e.N), body, "\t}"}
}

func uniqueElems(es []Elementwise) []Elementwise {
	seen := map[string]bool{}
	var out []Elementwise
	for _, e := range es {
		if e.N > 0 && !seen[e.Name()] {
			seen[e.Name()] = true
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// Registers of the elementwise kernels.
var (
	regDst = reg.RAX
	regSrc = reg.RBX
)

// emitElem emits e's function for path s, shaped as emitUpdate.
func emitElem(ctx *build.Context, e Elementwise, s isa, masks *maskTable) {
	ctx.Function(e.Name() + s.name)
	ctx.Attributes(attr.NOSPLIT)
	ctx.SignatureExpr(e.Signature())
	ctx.Doc(elemDoc(e, s)...)
	ctx.Pragma("noescape")
	k := newKB(ctx, ir.Matmul{DType: e.DType}, s, masks)
	w := eb{kb: k, e: e, c: s.vec(0), mask: s.vec(1)}
	ptrs := []reg.Register{regDst}
	if e.Op == AddConst {
		k.Load(k.Param("v"), regDst)
		w.broadcastC()
	} else {
		k.Load(k.Param("dst"), regDst)
		k.Load(k.Param("src"), regSrc)
		ptrs = append(ptrs, regSrc)
	}
	nvec, tl := e.N/k.lanes, e.N%k.lanes
	vb := s.vecBytes
	k.loop("elem", regKCnt, nvec/updateUnroll, func() {
		for q := 0; q < updateUnroll; q++ {
			w.vector(q*vb, 0, q)
		}
		for _, r := range ptrs {
			k.addq(updateUnroll*vb, r)
		}
	})
	for q := 0; q < nvec%updateUnroll; q++ {
		w.vector(q*vb, 0, q)
	}
	if tl > 0 {
		w.vector(nvec%updateUnroll*vb, tl, 0)
	}
	k.ret()
}

// eb builds an elementwise kernel.
type eb struct {
	*kb
	e       Elementwise
	c, mask reg.VecPhysical
}

func (w *eb) broadcastC() {
	b, err := w.Param("c").Resolve()
	if err != nil {
		panic("asm: " + err.Error())
	}
	w.bcast(b.Addr, w.c)
}

// vector processes one vector at byte offset off (its first tl elements if
// tl > 0) with temporaries 2+2q and 3+2q.
func (w *eb) vector(off, tl, q int) {
	t, x := w.s.vec(2+2*q), w.s.vec(3+2*q)
	switch {
	case tl > 0 && !w.s.opmask:
		w.loadMask(tl, w.mask)
	case tl > 0:
		w.setOpmask(tl)
	}
	load := func(base reg.Register, v reg.VecPhysical) {
		if tl > 0 {
			w.maskedLoad(mem(base, off), w.mask, v)
		} else {
			w.vload(mem(base, off), v)
		}
	}
	load(regDst, t)
	if w.e.Op == AddConst {
		w.vadd(w.c, t, t)
	} else {
		load(regSrc, x)
		w.vadd(x, t, t)
	}
	if tl > 0 {
		w.maskedStore(t, w.mask, mem(regDst, off))
	} else {
		w.vstore(t, mem(regDst, off))
	}
}

// elemDoc is the stub's doc comment: the reference loop.
func elemDoc(e Elementwise, s isa) []string {
	req := "AVX2"
	if s == avx512 {
		req = "AVX-512F"
	}
	head := fmt.Sprintf("%s%s computes, with %s instructions,", e.Name(), s.name, req)
	return append([]string{head, ""}, e.ReferenceLoop()...)
}
