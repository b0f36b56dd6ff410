package asm

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

// ElemOp is the operation of an elementwise kernel.
type ElemOp int

const (
	AddRow       ElemOp = iota // dst[i] += src[i]: bias, residual and col2im adds
	AddConst                   // v[i] += c: a convolution's bias (7.35)
	Relu                       // dst[i] = max(src[i], 0) (7.20)
	ReluGrad                   // dst[i] = grad[i] if z[i] > 0, else 0 (7.69)
	AddRowRelu                 // z[i] += b[i]; a[i] = max(z[i], 0): a dense bias fused with relu
	AddConstRelu               // z[i] += c; a[i] = max(z[i], 0): a conv bias fused with relu
	Add                        // dst[i] = x[i] + y[i]: a residual block's sum (7.38)
	LNForward                  // one row's layer norm: mean, σ̂, x̂ and β + γ·x̂ (layernorm.go)
	LNBackward                 // one row's layer-norm gradients: ∂γ, ∂β and ∂z
	LNParamGrad                // ∂γ and ∂β only, where no gradient flows to the input
)

// Elementwise is a row operation over N elements, the length compiled in
// as an Update's: a loop of whole vectors and a masked tail, no length
// argument to test. Each is one add per element, rounded as the Generic
// loop rounds it, or a select, so the results are bit-identical.
type Elementwise struct {
	Op    ElemOp
	DType spec.DType
	N     int
}

var elemNames = [...]string{AddRow: "addRow", AddConst: "addConst", Relu: "reluRow", ReluGrad: "reluGradRow",
	AddRowRelu: "addRowRelu", AddConstRelu: "addConstRelu",
	Add: "add", LNForward: "lnForward", LNBackward: "lnBackward", LNParamGrad: "lnParamGrad"}

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
	if lnOp(e.Op) {
		return e.lnSignature()
	}
	t, n := e.DType.String(), e.N
	ptrs := fmt.Sprintf("%s *[%d]%s", strings.Join(e.ptrParams(), ", "), n, t)
	if e.hasConst() {
		return fmt.Sprintf("func(%s, c %s)", ptrs, t)
	}
	return fmt.Sprintf("func(%s)", ptrs)
}

// ptrParams are the kernel's array parameters, in order.
func (e Elementwise) ptrParams() []string {
	if lnOp(e.Op) {
		return e.lnPtrs()
	}
	switch e.Op {
	case AddConst:
		return []string{"v"}
	case ReluGrad:
		return []string{"dst", "z", "grad"} // not g: Go assembly reserves it
	case AddRowRelu:
		return []string{"z", "b", "a"}
	case AddConstRelu:
		return []string{"z", "a"}
	case Add:
		return []string{"dst", "x", "y"}
	}
	return []string{"dst", "src"}
}

// hasConst reports whether the kernel takes a scalar c after its arrays.
func (e Elementwise) hasConst() bool { return e.Op == AddConst || e.Op == AddConstRelu }

func (e Elementwise) args() string {
	if lnOp(e.Op) {
		return e.lnArgs()
	}
	args := strings.Join(e.ptrParams(), ", ")
	if e.hasConst() {
		args += ", c"
	}
	return args
}

// ReferenceLoop is the kernel's loop, the body of Generic and the doc of
// its assembly variants (one tab of indentation).
func (e Elementwise) ReferenceLoop() []string {
	if lnOp(e.Op) {
		return e.lnLoop()
	}
	body := map[ElemOp][]string{
		AddRow:       {"\t\tdst[i] += src[i]"},
		AddConst:     {"\t\tv[i] += c"},
		Relu:         {"\t\tdst[i] = max(src[i], 0)"},
		ReluGrad:     {"\t\tdst[i] = 0", "\t\tif z[i] > 0 {", "\t\t\tdst[i] = grad[i]", "\t\t}"},
		AddRowRelu:   {"\t\tz[i] += b[i]", "\t\ta[i] = max(z[i], 0)"},
		AddConstRelu: {"\t\tz[i] += c", "\t\ta[i] = max(z[i], 0)"},
		Add:          {"\t\tdst[i] = x[i] + y[i]"},
	}[e.Op]
	return append(append([]string{fmt.Sprintf("\tfor i := range %d {", e.N)}, body...), "\t}")
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
	regSrc = reg.RBX // src, or z
)

// ReluGrad's g shares the update kernels' gradient register, regG.

// emitElem emits e's function for path s, shaped as emitUpdate.
func emitElem(ctx *build.Context, e Elementwise, s isa, masks *maskTable) {
	ctx.Function(e.Name() + s.name)
	ctx.Attributes(attr.NOSPLIT)
	ctx.SignatureExpr(e.Signature())
	ctx.Doc(elemDoc(e, s)...)
	ctx.Pragma("noescape")
	k := newKB(ctx, ir.Matmul{DType: e.DType}, s, masks)
	if lnOp(e.Op) {
		emitLayerNorm(k, e)
		return
	}
	w := eb{kb: k, e: e, c: s.vec(0), mask: s.vec(1), zero: s.vec(10)}
	ptrs := []reg.Register{regDst, regSrc, regG}[:len(e.ptrParams())]
	for i, p := range e.ptrParams() {
		k.Load(k.Param(p), ptrs[i])
	}
	if e.hasConst() {
		w.broadcastC()
	}
	if e.Op != AddRow && e.Op != AddConst && e.Op != Add {
		k.vzero(w.zero)
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
	e             Elementwise
	c, mask, zero reg.VecPhysical
}

func (w *eb) broadcastC() { w.bcast(w.paramAddr("c"), w.c) }

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
	switch w.e.Op {
	case AddConst:
		load(regDst, t)
		w.vadd(w.c, t, t)
	case AddRow:
		load(regDst, t)
		load(regSrc, x)
		w.vadd(x, t, t)
	case Add:
		load(regSrc, t)
		load(regG, x)
		w.vadd(x, t, t)
	case Relu:
		load(regSrc, t)
		w.relu(t)
	case ReluGrad:
		load(regSrc, t)
		w.reluGrad(mem(regG, off), load, t, x)
	case AddRowRelu, AddConstRelu:
		w.addRelu(load, t, x, off, tl)
		return
	}
	w.store(t, mem(regDst, off), tl)
}

// addRelu is z += b (or c), stored, then a = max(z, 0): one pass for both.
func (w *eb) addRelu(load func(reg.Register, reg.VecPhysical), t, x reg.VecPhysical, off, tl int) {
	load(regDst, t)
	a := regSrc
	if w.e.Op == AddRowRelu {
		load(regSrc, x)
		w.vadd(x, t, t)
		a = regG
	} else {
		w.vadd(w.c, t, t)
	}
	w.store(t, mem(regDst, off), tl)
	w.relu(t)
	w.store(t, mem(a, off), tl)
}

// store stores v at m, its first tl elements if tl > 0.
func (w *eb) store(v reg.VecPhysical, m operand.Mem, tl int) {
	if tl > 0 {
		w.maskedStore(v, w.mask, m)
	} else {
		w.vstore(v, m)
	}
}

// relu is t = max(t, 0) as Go's max computes it: MAXPS returns its second
// source when either is NaN or both are zero, so max(0, t) keeps NaN and −0,
// and adding +0 turns −0 into +0 (NaN stays NaN, anything else is exact).
func (w *eb) relu(t reg.VecPhysical) {
	if w.f64() {
		w.VMAXPD(t, w.zero, t)
	} else {
		w.VMAXPS(t, w.zero, t)
	}
	w.vadd(w.zero, t, t)
}

// cmpGTOQ is the ordered, quiet z > 0 predicate: false for NaN, as Go's >.
const cmpGTOQ = 0x1e

// reluGrad is t = g where t > 0, else +0: an AND with the compare mask
// (AVX2), or a zeroing load of g under it (AVX-512, whose tail lanes of t are
// zero and so fail the compare).
func (w *eb) reluGrad(g operand.Mem, load func(reg.Register, reg.VecPhysical), t, x reg.VecPhysical) {
	cmp, and, movz := w.VCMPPS, w.VANDPS, w.VMOVUPS_Z
	if w.f64() {
		cmp, and, movz = w.VCMPPD, w.VANDPD, w.VMOVUPD_Z
	}
	if w.s.opmask {
		cmp(operand.U8(cmpGTOQ), w.zero, t, reg.K2)
		movz(g, reg.K2, t)
		return
	}
	cmp(operand.U8(cmpGTOQ), w.zero, t, t)
	load(regG, x)
	and(x, t, t)
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
