package asm

import (
	"fmt"
	"sort"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

// Update is an SGD parameter update over N elements, the length compiled
// in like a product's shape. Without momentum θ := θ − α∇J; with it, as
// PyTorch, v := μv + ∇J; θ := θ − αv (7.10). The kernels multiply and then
// add or subtract in separate instructions (no FMA), so that they round
// exactly as the Generic loop, whose products are converted to T to keep
// the Go compiler from fusing them either.
type Update struct {
	DType    spec.DType
	N        int
	Momentum bool
}

// Name is the update's function name: sgd100352f32, sgdMomentum1280f64.
func (u Update) Name() string {
	kind := "sgd"
	if u.Momentum {
		kind = "sgdMomentum"
	}
	suffix := "f32"
	if u.DType == spec.Float64 {
		suffix = "f64"
	}
	return fmt.Sprintf("%s%d%s", kind, u.N, suffix)
}

// Signature is the update's Go signature, shared by Generic, the assembly
// variants and the dispatcher. (The gradient is not "g": Go assembly
// reserves that name for the goroutine register.)
func (u Update) Signature() string {
	t, n := u.DType.String(), u.N
	if u.Momentum {
		return fmt.Sprintf("func(p, v, grad *[%d]%s, lr, mu %s)", n, t, t)
	}
	return fmt.Sprintf("func(p, grad *[%d]%s, lr %s)", n, t, t)
}

// args is the dispatcher's argument list.
func (u Update) args() string {
	if u.Momentum {
		return "p, v, grad, lr, mu"
	}
	return "p, grad, lr"
}

// ReferenceLoop is the update's loop, the body of Generic and the doc of
// its assembly variants (one tab of indentation).
func (u Update) ReferenceLoop() []string {
	t := u.DType.String()
	loop := []string{fmt.Sprintf("\tfor i := range %d {", u.N)}
	if u.Momentum {
		loop = append(loop, fmt.Sprintf("\t\tv[i] = %s(mu*v[i]) + grad[i]", t),
			fmt.Sprintf("\t\tp[i] -= %s(lr * v[i])", t))
	} else {
		loop = append(loop, fmt.Sprintf("\t\tp[i] -= %s(lr * grad[i])", t))
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
