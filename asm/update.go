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

// params are the update's arguments: the tensors, then the scalars. (The
// gradient is not "g": Go assembly reserves that name for the goroutine
// register.)
func (u Update) params() (tensors, scalars []string) {
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
	t, s := u.params()
	return fmt.Sprintf("func(%s *[%d]%s, %s %s)", strings.Join(t, ", "), u.N, u.DType, strings.Join(s, ", "), u.DType)
}

// Args is the dispatcher's argument list.
func (u Update) Args() string {
	t, s := u.params()
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
	regV = reg.RBX // velocity
	regG = reg.RCX // gradient
)

// updateUnroll is the vectors one loop iteration updates.
const updateUnroll = 4

// emitUpdate emits u's function for path s: a loop of updateUnroll
// vectors, the remaining whole vectors inline, then a masked tail.
func emitUpdate(ctx *build.Context, u Update, s isa, masks *maskTable) {
	ctx.Function(u.Name() + s.name)
	ctx.Attributes(attr.NOSPLIT)
	ctx.SignatureExpr(u.Signature())
	ctx.Doc(updateDoc(u, s)...)
	ctx.Pragma("noescape")
	k := newKB(ctx, ir.Matmul{DType: u.DType}, s, masks)
	w := ub{kb: k, u: u, lr: s.vec(0), mu: s.vec(1), mask: s.vec(2)}
	k.Load(k.Param("p"), regP)
	k.Load(k.Param("grad"), regG)
	w.broadcastParam("lr", w.lr)
	if u.Momentum {
		k.Load(k.Param("v"), regV)
		w.broadcastParam("mu", w.mu)
	}
	nvec, tl := u.N/k.lanes, u.N%k.lanes
	vb := s.vecBytes
	k.loop("sgd", regKCnt, nvec/updateUnroll, func() {
		for q := 0; q < updateUnroll; q++ {
			w.vector(q*vb, 0, q)
		}
		for _, r := range w.pointers() {
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

// ub builds an update kernel.
type ub struct {
	*kb
	u            Update
	lr, mu, mask reg.VecPhysical
}

func (w *ub) pointers() []reg.Register {
	if w.u.Momentum {
		return []reg.Register{regP, regV, regG}
	}
	return []reg.Register{regP, regG}
}

// broadcastParam broadcasts the scalar argument name into v.
func (w *ub) broadcastParam(name string, v reg.VecPhysical) {
	b, err := w.Param(name).Resolve()
	if err != nil {
		panic("asm: " + err.Error())
	}
	m := b.Addr
	if w.f64() {
		w.VBROADCASTSD(m, v)
		return
	}
	w.VBROADCASTSS(m, v)
}

// vector updates one vector at byte offset off (its first tl elements if
// tl > 0) with temporaries 3+2q and 4+2q.
func (w *ub) vector(off, tl, q int) {
	t, x := w.s.vec(3+2*q), w.s.vec(4+2*q)
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
	load(regG, t)
	if w.u.Momentum {
		load(regV, x)
		w.vmul(w.mu, x, x)
		w.vadd(t, x, t) // v := μv + g
		store(t, regV)
	}
	w.vmul(w.lr, t, t)
	load(regP, x)
	w.vsub(t, x, x)
	store(x, regP)
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
