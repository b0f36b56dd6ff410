package asm

import (
	"fmt"
	"math"

	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// Layer normalisation of one row of F features (7.41), per-feature γ and β,
// F a multiple of 16 so that no vector is partial. Its sums run in 16
// interleaved partial sums — element i into sum i mod 16 — reduced by
// halving (sum j += sum j+w for w = 8, 4, 2, 1): one ZMM or two YMM of
// float32, two ZMM or four YMM of float64, and the same order on every path,
// so assembly and Generic agree bit for bit. A float32 row's variance runs in
// float64: squares of differences past 1.8e19 would overflow float32.

// lnChunk is the elements one loop iteration covers: the 16 partial sums.
const lnChunk = 16

// LNRowFits reports whether rows of F features can run the layer-norm
// kernels: F a positive multiple of 16.
func LNRowFits(F int) bool { return F > 0 && F%lnChunk == 0 }

// lnOp reports whether op is one of the layer-norm row kernels.
func lnOp(op ElemOp) bool { return op == LNForward || op == LNBackward || op == LNParamGrad }

// lnSignature is the Go signature of a layer-norm row kernel.
func (e Elementwise) lnSignature() string {
	t, n := e.DType.String(), e.N
	switch e.Op {
	case LNForward:
		return fmt.Sprintf("func(z, xhat, out, gamma, beta *[%d]%s, sigma *%s, eps float64)", n, t, t)
	case LNBackward:
		return fmt.Sprintf("func(dz, dgamma, dbeta, dy, xhat, gamma *[%d]%s, sigma %s)", n, t, t)
	}
	return fmt.Sprintf("func(dgamma, dbeta, dy, xhat *[%d]%s)", n, t)
}

// lnPtrs are the kernel's pointer parameters.
func (e Elementwise) lnPtrs() []string {
	switch e.Op {
	case LNForward:
		return []string{"z", "xhat", "out", "gamma", "beta", "sigma"}
	case LNBackward:
		return []string{"dz", "dgamma", "dbeta", "dy", "xhat", "gamma"}
	}
	return []string{"dgamma", "dbeta", "dy", "xhat"}
}

// lnArgs is the dispatcher's argument list.
func (e Elementwise) lnArgs() string {
	switch e.Op {
	case LNForward:
		return "z, xhat, out, gamma, beta, sigma, eps"
	case LNBackward:
		return "dz, dgamma, dbeta, dy, xhat, gamma, sigma"
	}
	return "dgamma, dbeta, dy, xhat"
}

// lnLoop is the Go of a layer-norm row kernel: Generic's body and the
// assembly's doc. Products are converted to T so that no compiler fuses them
// into FMAs; sqrt64 is math.Sqrt, defined beside the Generic twins.
func (e Elementwise) lnLoop() []string {
	t, n := e.DType.String(), e.N
	tree := func(p string) []string {
		return []string{
			"\tfor w := 8; w > 0; w /= 2 {",
			"\t\tfor j := range w {",
			fmt.Sprintf("\t\t\t%s[j] += %s[j+w]", p, p),
			"\t\t}",
			"\t}",
		}
	}
	var l []string
	add := func(s ...string) { l = append(l, s...) }
	switch e.Op {
	case LNForward:
		add(fmt.Sprintf("\tvar p [16]%s", t),
			fmt.Sprintf("\tfor i := range %d {", n),
			"\t\tp[i%16] += z[i]",
			"\t}")
		add(tree("p")...)
		add(fmt.Sprintf("\tmean := p[0] / %d", n),
			"\tvar q [16]float64",
			fmt.Sprintf("\tfor i := range %d {", n),
			"\t\td := float64(z[i] - mean)",
			"\t\tq[i%16] += float64(d * d)",
			"\t}")
		add(tree("q")...)
		s := fmt.Sprintf("%s(sqrt64(q[0]/%d + eps))", t, n)
		if t == "float64" {
			s = fmt.Sprintf("sqrt64(q[0]/%d + eps)", n)
		}
		add("\ts := "+s,
			"\t*sigma = s",
			"\tinv := 1 / s",
			fmt.Sprintf("\tfor i := range %d {", n),
			"\t\txhat[i] = (z[i] - mean) * inv",
			fmt.Sprintf("\t\tout[i] = beta[i] + %s(gamma[i]*xhat[i])", t),
			"\t}")
	case LNParamGrad:
		add(fmt.Sprintf("\tfor i := range %d {", n),
			fmt.Sprintf("\t\tdgamma[i] += %s(dy[i] * xhat[i])", t),
			"\t\tdbeta[i] += dy[i]",
			"\t}")
	case LNBackward:
		add(fmt.Sprintf("\tvar p, q [16]%s", t),
			fmt.Sprintf("\tfor i := range %d {", n),
			fmt.Sprintf("\t\tu := %s(gamma[i] * dy[i])", t),
			fmt.Sprintf("\t\tdgamma[i] += %s(dy[i] * xhat[i])", t),
			"\t\tdbeta[i] += dy[i]",
			"\t\tp[i%16] += u",
			fmt.Sprintf("\t\tq[i%%16] += %s(u * xhat[i])", t),
			"\t}")
		add(tree("p")...)
		add(tree("q")...)
		add(fmt.Sprintf("\tmu, mux, inv := p[0]/%d, q[0]/%d, 1/sigma", n, n),
			fmt.Sprintf("\tfor i := range %d {", n),
			fmt.Sprintf("\t\tdz[i] = (%s(gamma[i]*dy[i]) - mu - %s(xhat[i]*mux)) * inv", t, t),
			"\t}")
	}
	return l
}

// Registers of the layer-norm kernels: one pointer per array.
var lnRegs = map[string]reg.Register{
	"z": reg.RAX, "xhat": reg.RBX, "out": reg.RCX, "gamma": reg.RDX, "beta": reg.RSI, "sigma": reg.RDI,
	"dz": reg.R8, "dgamma": reg.R9, "dbeta": reg.R10, "dy": reg.R13, // R11 counts the loop, R12 holds constants
}

// lb builds a layer-norm kernel.
type lb struct {
	*kb
	e Elementwise
}

// emitLayerNorm emits the body of a layer-norm row kernel (the function is
// already open, as emitElem opens it).
func emitLayerNorm(k *kb, e Elementwise) {
	w := &lb{kb: k, e: e}
	for _, p := range e.ptrParams() {
		k.Load(k.Param(p), lnRegs[p])
	}
	switch e.Op {
	case LNForward:
		w.forward()
	case LNBackward:
		w.backward(true)
	default:
		w.backward(false)
	}
	k.ret()
}

// perChunk is the number of T vectors in a chunk of 16 elements.
func (w *lb) perChunk() int { return lnChunk / w.lanes }

// chunks runs body once per chunk of 16 elements, advancing ptrs; body gets
// the vector index q within the chunk and its byte offset.
func (w *lb) chunks(ptrs []reg.Register, body func(q, off int)) {
	w.loop("ln", regKCnt, w.e.N/lnChunk, func() {
		for q := 0; q < w.perChunk(); q++ {
			body(q, q*w.s.vecBytes)
		}
		for _, r := range ptrs {
			w.addq(lnChunk*w.esize, r)
		}
	})
}

// rewind moves ptrs back to the start of the row.
func (w *lb) rewind(ptrs []reg.Register) {
	for _, r := range ptrs {
		w.SUBQ(operand.U32(w.e.N*w.esize), r)
	}
}

// v is vector register i at the path's width.
func (w *lb) v(i int) reg.VecPhysical { return w.s.vec(i) }

// vop picks the float32 or float64 form of a packed instruction.
func (w *lb) vop(f32, f64 func(...operand.Op)) func(...operand.Op) {
	if w.f64() {
		return f64
	}
	return f32
}

func (w *lb) vsub(y, x, dst operand.Op) { w.vop(w.VSUBPS, w.VSUBPD)(y, x, dst) }
func (w *lb) vmul(y, x, dst operand.Op) { w.vop(w.VMULPS, w.VMULPD)(y, x, dst) }

// reduce16 sums the 16 partial sums held in accs (vectors of elements of
// esize bytes, partial j in lane j mod lanes of accs[j / lanes]) by halving,
// leaving the total in the low lane of accs[0]'s XMM register; tmp is a
// scratch register.
func (w *lb) reduce16(accs []reg.VecPhysical, esize int, tmp reg.VecPhysical) reg.VecPhysical {
	add := w.VADDPS
	if esize == 8 {
		add = w.VADDPD
	}
	for len(accs) > 1 { // the halves in separate registers
		h := len(accs) / 2
		for i := 0; i < h; i++ {
			add(accs[i+h], accs[i], accs[i])
		}
		accs = accs[:h]
	}
	a := accs[0]
	if w.s.vecBytes == 64 {
		w.VEXTRACTF64X4(operand.U8(1), a, tmp.AsY())
		add(tmp.AsY(), a.AsY(), a.AsY())
	}
	w.VEXTRACTF128(operand.U8(1), a.AsY(), tmp.AsX())
	add(tmp.AsX(), a.AsX(), a.AsX())
	x := a.AsX()
	if esize == 8 {
		w.VUNPCKHPD(x, x, tmp.AsX())
		w.VADDSD(tmp.AsX(), x, x)
		return a
	}
	w.VMOVHLPS(x, x, tmp.AsX())
	w.VADDPS(tmp.AsX(), x, x)
	w.VMOVSHDUP(x, tmp.AsX())
	w.VADDSS(tmp.AsX(), x, x)
	return a
}

// scalarConst loads the constant c of the element type into x's low lane.
func (w *lb) scalarConst(c float64, x reg.VecPhysical, f64 bool) {
	if f64 {
		w.MOVQ(operand.U64(math.Float64bits(c)), reg.R12)
		w.VMOVQ(reg.R12, x.AsX())
		return
	}
	w.MOVL(operand.U32(math.Float32bits(float32(c))), reg.R12L)
	w.VMOVD(reg.R12L, x.AsX())
}

// divScalar is x /= c in the element type's scalar form.
func (w *lb) divScalar(c float64, x, tmp reg.VecPhysical, f64 bool) {
	w.scalarConst(c, tmp, f64)
	if f64 {
		w.VDIVSD(tmp.AsX(), x.AsX(), x.AsX())
	} else {
		w.VDIVSS(tmp.AsX(), x.AsX(), x.AsX())
	}
}

// broadcastLow broadcasts x's low lane into dst.
func (w *lb) broadcastLow(x, dst reg.VecPhysical) {
	if w.f64() {
		w.VBROADCASTSD(x.AsX(), dst)
		return
	}
	w.VBROADCASTSS(x.AsX(), dst)
}

// forward: mean, then the variance of z − mean in float64, σ̂, then x̂ and out.
func (w *lb) forward() {
	n := w.perChunk()
	z := lnRegs["z"]
	tmp := w.v(15)
	// Pass 1: Σ z in 16 partial sums, registers 0..n-1.
	accs := w.zeroed(0, n)
	w.chunks([]reg.Register{z}, func(q, off int) { w.vadd(mem(z, off), accs[q], accs[q]) })
	w.rewind([]reg.Register{z})
	mean := w.reduce16(accs, w.esize, tmp)
	w.divScalar(float64(w.e.N), mean, tmp, w.f64())
	meanV := w.v(14)
	w.broadcastLow(mean, meanV)
	// Pass 2: Σ (z − mean)² in float64, 16 partial sums in two ZMM or four
	// YMM; a float32 vector's differences are widened half by half.
	q64 := w.zeroed(0, lnChunk*8/w.s.vecBytes)
	d, d2 := w.v(12), w.v(13)
	w.chunks([]reg.Register{z}, func(q, off int) {
		w.vload(mem(z, off), d)
		w.vsub(meanV, d, d)
		if w.f64() {
			w.VMULPD(d, d, d)
			w.VADDPD(d, q64[q], q64[q])
			return
		}
		lo, hi := operand.Op(d.AsY()), operand.Op(d2.AsY())
		if w.s.vecBytes == 64 {
			w.VEXTRACTF64X4(operand.U8(1), d, d2.AsY())
		} else {
			lo, hi = d.AsX(), d2.AsX()
			w.VEXTRACTF128(operand.U8(1), d, d2.AsX())
		}
		w.VCVTPS2PD(lo, d)
		w.VCVTPS2PD(hi, d2)
		for i, x := range []reg.VecPhysical{d, d2} {
			w.VMULPD(x, x, x)
			w.VADDPD(x, q64[2*q+i], q64[2*q+i])
		}
	})
	w.rewind([]reg.Register{z})
	vari := w.reduce16(q64, 8, tmp).AsX()
	w.divScalar(float64(w.e.N), vari.(reg.VecPhysical), tmp, true)
	w.VADDSD(w.paramAddr("eps"), vari, vari)
	w.VSQRTSD(vari, vari, vari)
	sigma := lnRegs["sigma"]
	if w.f64() {
		w.VMOVSD(vari, mem(sigma, 0))
	} else {
		w.VCVTSD2SS(vari, vari, vari)
		w.VMOVSS(vari, mem(sigma, 0))
	}
	inv := w.v(1)
	w.scalarConst(1, inv, w.f64())
	w.divLow(vari, inv)
	invV := w.v(13)
	w.broadcastLow(inv, invV)
	// Pass 3: x̂ = (z − mean)·(1/σ̂), out = β + γ·x̂.
	xh, out, gamma, beta := lnRegs["xhat"], lnRegs["out"], lnRegs["gamma"], lnRegs["beta"]
	t, u := w.v(2), w.v(3)
	w.chunks([]reg.Register{z, xh, out, gamma, beta}, func(q, off int) {
		w.vload(mem(z, off), t)
		w.vsub(meanV, t, t)
		w.vmul(invV, t, t)
		w.vstore(t, mem(xh, off))
		w.vmul(mem(gamma, off), t, u)
		w.vadd(mem(beta, off), u, u)
		w.vstore(u, mem(out, off))
	})
}

// zeroed zeroes vector registers from..from+n-1 and returns them.
func (w *lb) zeroed(from, n int) []reg.VecPhysical {
	rs := make([]reg.VecPhysical, n)
	for i := range rs {
		rs[i] = w.v(from + i)
		w.vzero(rs[i])
	}
	return rs
}

// divLow is x = x / by in the low lane (the element type's scalar form).
func (w *lb) divLow(by, x operand.Op) {
	if w.f64() {
		w.VDIVSD(by, asX(x), asX(x))
		return
	}
	w.VDIVSS(by, asX(x), asX(x))
}

func asX(x operand.Op) operand.Op {
	if v, ok := x.(reg.VecPhysical); ok {
		return v.AsX()
	}
	return x
}

// backward: ∂γ += ∂out⊙x̂ and ∂β += ∂out; with dz, also the sums of
// u = γ⊙∂out and u⊙x̂, then ∂z = (u − mean(u) − x̂·mean(u⊙x̂))/σ̂.
func (w *lb) backward(withDz bool) {
	n := w.perChunk()
	dy, xh, dg, db := lnRegs["dy"], lnRegs["xhat"], lnRegs["dgamma"], lnRegs["dbeta"]
	gamma, dz := lnRegs["gamma"], lnRegs["dz"]
	ptrs := []reg.Register{dy, xh, dg, db}
	var p, q []reg.VecPhysical
	if withDz {
		ptrs = append(ptrs, gamma)
		p, q = w.zeroed(0, n), w.zeroed(n, n)
	}
	a, b, t, u := w.v(12), w.v(13), w.v(14), w.v(15)
	w.chunks(ptrs, func(i, off int) {
		w.vload(mem(dy, off), a)
		w.vload(mem(xh, off), b)
		w.vmul(b, a, t)
		w.vadd(mem(dg, off), t, t)
		w.vstore(t, mem(dg, off))
		w.vadd(mem(db, off), a, t)
		w.vstore(t, mem(db, off))
		if !withDz {
			return
		}
		w.vmul(mem(gamma, off), a, u)
		w.vadd(u, p[i], p[i])
		w.vmul(b, u, u)
		w.vadd(u, q[i], q[i])
	})
	if !withDz {
		return
	}
	w.rewind([]reg.Register{dy, xh, gamma})
	mu := w.reduce16(p, w.esize, u)
	mux := w.reduce16(q, w.esize, u)
	w.divScalar(float64(w.e.N), mu, u, w.f64())
	w.divScalar(float64(w.e.N), mux, u, w.f64())
	inv := w.v(11)
	w.scalarConst(1, inv, w.f64())
	w.divLow(w.paramAddr("sigma"), inv)
	muV, muxV, invV := w.v(8), w.v(9), w.v(10)
	w.broadcastLow(mu, muV)
	w.broadcastLow(mux, muxV)
	w.broadcastLow(inv, invV)
	w.chunks([]reg.Register{dz, dy, xh, gamma}, func(i, off int) {
		w.vload(mem(dy, off), a)
		w.vmul(mem(gamma, off), a, u)
		w.vsub(muV, u, u)
		w.vmul(mem(xh, off), muxV, t)
		w.vsub(t, u, u)
		w.vmul(invV, u, u)
		w.vstore(u, mem(dz, off))
	})
}
