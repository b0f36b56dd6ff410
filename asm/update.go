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

// Update is an optimizer's update of one parameter over N elements, the
// length compiled in like a product's shape, with PyTorch's semantics
// (torch.optim, spec.Optimizer): SGD θ := θ − α∇J (7.10), with momentum
// v := μv + d; θ := θ − αv, Nesterov, weight decay d := ∇J + λθ; Adam and
// AdamW with bias-corrected moments. The kernels multiply and then add or
// subtract in separate instructions (no FMA), so that they round exactly
// as the Generic loop, whose products are converted to T to keep the Go
// compiler from fusing them either; division and square root are
// correctly rounded on both sides.
type Update struct {
	DType    spec.DType
	N        int
	Kind     spec.OptimizerKind
	Momentum bool // sgd with μ ≠ 0
	Nesterov bool // sgd
	Decay    bool // weight_decay ≠ 0: L2 in the gradient (sgd, adam) or decoupled (adamw)
}

// Name is the update's function name: sgd100352f32, sgdMomentum1280f64,
// adamDecay128f32.
func (u Update) Name() string {
	kind := u.Kind.String()
	switch {
	case u.Kind == spec.AdamW:
		kind = "adamW" // adamw without decay is adam: named so by the caller
	case u.Nesterov:
		kind = "sgdNesterov"
	case u.Momentum:
		kind = "sgdMomentum"
	}
	if u.Decay {
		kind += "Decay"
	}
	suffix := "f32"
	if u.DType == spec.Float64 {
		suffix = "f64"
	}
	return fmt.Sprintf("%s%d%s", kind, u.N, suffix)
}

// adam reports whether u keeps Adam's moments.
func (u Update) adam() bool { return u.Kind != spec.SGD }

// Params are the update's arguments: the tensors, then the scalars. (The
// gradient is not "g": Go assembly reserves that name for the goroutine
// register.)
func (u Update) Params() (tensors, scalars []string) {
	switch {
	case u.adam():
		tensors = []string{"p", "m", "v", "grad"}
		scalars = []string{"b1", "omb1", "b2", "omb2", "eps", "step", "bc2"}
	case u.Momentum:
		tensors, scalars = []string{"p", "v", "grad"}, []string{"lr", "mu"}
	default:
		tensors, scalars = []string{"p", "grad"}, []string{"lr"}
	}
	if u.Decay && u.Kind == spec.AdamW {
		scalars = append(scalars, "decay")
	} else if u.Decay {
		scalars = append(scalars, "wd")
	}
	return tensors, scalars
}

// Signature is the update's Go signature, shared by Generic, the assembly
// variants and the dispatcher.
func (u Update) Signature() string {
	t, s := u.Params()
	return fmt.Sprintf("func(%s *[%d]%s, %s %s)", strings.Join(t, ", "), u.N, u.DType, strings.Join(s, ", "), u.DType)
}

// Args is the dispatcher's argument list.
func (u Update) Args() string {
	t, s := u.Params()
	return strings.Join(append(t, s...), ", ")
}

// ReferenceLoop is the update's loop, the body of Generic and the doc of
// its assembly variants (one tab of indentation). Adam's scalars are
// computed once per Step by the caller: omb1 = 1 − β₁, omb2 = 1 − β₂,
// step = α/(1 − β₁ᵗ), bc2 = √(1 − β₂ᵗ), decay = 1 − αλ; sqrt is √x in T,
// correctly rounded (math.Sqrt; for float32 through float64, which rounds
// as VSQRTPS does), defined beside the Generic twins.
func (u Update) ReferenceLoop() []string {
	t := u.DType.String()
	line := func(format string, args ...any) string { return "\t\t" + fmt.Sprintf(format, args...) }
	loop := []string{fmt.Sprintf("\tfor i := range %d {", u.N)}
	d := "grad[i]"
	if u.Decay && u.Kind != spec.AdamW {
		loop = append(loop, line("d := grad[i] + %s(wd*p[i])", t))
		d = "d"
	}
	switch {
	case u.adam():
		if u.Decay && u.Kind == spec.AdamW {
			loop = append(loop, line("p[i] = %s(decay * p[i])", t))
		}
		loop = append(loop,
			line("m[i] = %s(b1*m[i]) + %s(omb1*%s)", t, t, d),
			line("v[i] = %s(b2*v[i]) + %s(%s(omb2*%s)*%s)", t, t, t, d, d),
			line("p[i] -= %s(step*m[i]) / (sqrt(v[i])/bc2 + eps)", t))
	case u.Nesterov:
		loop = append(loop, line("v[i] = %s(mu*v[i]) + %s", t, d),
			line("p[i] -= %s(lr * (%s + %s(mu*v[i])))", t, d, t))
	case u.Momentum:
		loop = append(loop, line("v[i] = %s(mu*v[i]) + %s", t, d),
			line("p[i] -= %s(lr * v[i])", t))
	default:
		loop = append(loop, line("p[i] -= %s(lr * %s)", t, d))
	}
	return append(loop, "\t}")
}

func uniqueUpdates(us []Update) []Update {
	seen := map[string]bool{}
	var out []Update
	for _, u := range us {
		if u.N > 0 && !seen[u.Name()] {
			seen[u.Name()] = true
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// Registers of the update kernels.
var (
	regP = reg.RAX // θ
	regV = reg.RBX // velocity, or Adam's second moment
	regG = reg.RCX // gradient
	regM = reg.RSI // Adam's first moment
)

// temps is the vector registers one vector's update needs besides the
// broadcast scalars.
func (u Update) temps() int {
	switch {
	case u.adam():
		return 5
	case u.Nesterov:
		return 4
	case u.Momentum || u.Decay:
		return 3
	}
	return 2
}

// updateUnroll is the most vectors one loop iteration updates; fewer when
// the registers run out (Adam on AVX2: one).
const updateUnroll = 4

// emitUpdate emits u's function for path s: a loop of u.unroll() vectors,
// the remaining whole vectors inline, then a masked tail.
func emitUpdate(ctx *build.Context, u Update, s isa, masks *maskTable) {
	ctx.Function(u.Name() + s.name)
	ctx.Attributes(attr.NOSPLIT)
	ctx.SignatureExpr(u.Signature())
	ctx.Doc(updateDoc(u, s)...)
	ctx.Pragma("noescape")
	k := newKB(ctx, ir.Matmul{DType: u.DType}, s, masks)
	w := ub{kb: k, u: u, c: map[string]reg.VecPhysical{}}
	tensors, scalars := u.Params()
	regs := map[string]reg.Register{"p": regP, "v": regV, "grad": regG, "m": regM}
	for _, t := range tensors {
		k.Load(k.Param(t), regs[t])
		w.ptrs = append(w.ptrs, regs[t])
	}
	for i, name := range scalars {
		w.c[name] = s.vec(i)
		w.broadcastParam(name, w.c[name])
	}
	w.mask, w.temp0 = s.vec(len(scalars)), len(scalars)+1
	nvec, tl := u.N/k.lanes, u.N%k.lanes
	vb, un := s.vecBytes, min(updateUnroll, (s.nregs-w.temp0)/u.temps())
	k.loop("upd", regKCnt, nvec/un, func() {
		for q := 0; q < un; q++ {
			w.vector(q*vb, 0, q)
		}
		for _, r := range w.ptrs {
			k.addq(un*vb, r)
		}
	})
	for q := 0; q < nvec%un; q++ {
		w.vector(q*vb, 0, q)
	}
	if tl > 0 {
		w.vector(nvec%un*vb, tl, 0)
	}
	k.ret()
}

// ub builds an update kernel.
type ub struct {
	*kb
	u     Update
	c     map[string]reg.VecPhysical // the broadcast scalars
	mask  reg.VecPhysical
	temp0 int            // first temporary vector register
	ptrs  []reg.Register // the tensors' pointers, moved by the loop
}

// broadcastParam broadcasts the scalar argument name into v.
func (w *ub) broadcastParam(name string, v reg.VecPhysical) {
	w.bcast(w.paramAddr(name), v)
}

// vector updates one vector at byte offset off (its first tl elements if
// tl > 0), the q-th of an iteration, in the order of ReferenceLoop's
// operations: every product and quotient rounded on its own, as there.
func (w *ub) vector(off, tl, q int) {
	n := w.u.temps()
	t := func(i int) reg.VecPhysical {
		if i >= n {
			panic("asm: update temporaries overrun")
		}
		return w.s.vec(w.temp0 + n*q + i)
	}
	if tl > 0 && !w.s.opmask {
		w.loadMask(tl, w.mask)
	} else if tl > 0 {
		w.setOpmask(tl)
	}
	load := func(base reg.Register, v reg.VecPhysical) {
		if tl > 0 {
			w.maskedLoad(mem(base, off), w.mask, v)
		} else {
			w.vload(mem(base, off), v)
		}
	}
	store := func(v reg.VecPhysical, base reg.Register) {
		if tl > 0 {
			w.maskedStore(v, w.mask, mem(base, off))
		} else {
			w.vstore(v, mem(base, off))
		}
	}
	u := w.u
	d, p := t(0), t(1)
	load(regG, d)
	load(regP, p)
	if u.Decay && u.Kind != spec.AdamW { // d := grad + T(wd*p)
		x := t(2)
		w.vmul(w.c["wd"], p, x)
		w.vadd(x, d, d)
	}
	switch {
	case u.adam():
		x, y := t(2), t(3)
		if u.Decay && u.Kind == spec.AdamW { // p = T(decay*p)
			w.vmul(w.c["decay"], p, p)
		}
		load(regM, x) // m = T(b1*m) + T(omb1*d)
		w.vmul(w.c["b1"], x, x)
		w.vmul(w.c["omb1"], d, y)
		w.vadd(y, x, x)
		store(x, regM)
		m2 := t(4) // v = T(b2*v) + T(T(omb2*d)*d)
		load(regV, m2)
		w.vmul(w.c["b2"], m2, m2)
		w.vmul(w.c["omb2"], d, y)
		w.vmul(d, y, y)
		w.vadd(y, m2, m2)
		store(m2, regV)
		w.vsqrt(m2, y) // denominator sqrt(v)/bc2 + eps
		w.vdiv(w.c["bc2"], y, y)
		w.vadd(w.c["eps"], y, y)
		w.vmul(w.c["step"], x, x) // p -= T(step*m) / denominator
		w.vdiv(y, x, x)
		w.vsub(x, p, p)
	case u.Momentum:
		x := t(2)
		load(regV, x) // v = T(mu*v) + d
		w.vmul(w.c["mu"], x, x)
		w.vadd(d, x, x)
		store(x, regV)
		if u.Nesterov { // p -= T(lr * (d + T(mu*v)))
			y := t(3)
			w.vmul(w.c["mu"], x, y)
			w.vadd(y, d, d)
		} else { // p -= T(lr * v)
			d = x
		}
		w.vmul(w.c["lr"], d, d)
		w.vsub(d, p, p)
	default: // p -= T(lr * d)
		w.vmul(w.c["lr"], d, d)
		w.vsub(d, p, p)
	}
	store(p, regP)
}

// vdiv is dst = x / y (Go operand order y, x, dst).
func (k *kb) vdiv(y, x, dst operand.Op) {
	if k.f64() {
		k.VDIVPD(y, x, dst)
		return
	}
	k.VDIVPS(y, x, dst)
}

// vsqrt is dst = √x, correctly rounded.
func (k *kb) vsqrt(x, dst operand.Op) {
	if k.f64() {
		k.VSQRTPD(x, dst)
		return
	}
	k.VSQRTPS(x, dst)
}

// vmul is dst = x*y.
func (k *kb) vmul(y, x, dst operand.Op) {
	if k.f64() {
		k.VMULPD(y, x, dst)
		return
	}
	k.VMULPS(y, x, dst)
}

// vsub is dst = x − y (Go operand order y, x, dst).
func (k *kb) vsub(y, x, dst operand.Op) {
	if k.f64() {
		k.VSUBPD(y, x, dst)
		return
	}
	k.VSUBPS(y, x, dst)
}

// updateDoc is the stub's doc comment: the reference loop.
func updateDoc(u Update, s isa) []string {
	req := "AVX2"
	if s == avx512 {
		req = "AVX-512F"
	}
	head := fmt.Sprintf("%s%s computes, with %s instructions,", u.Name(), s.name, req)
	return append([]string{head, ""}, u.ReferenceLoop()...)
}
