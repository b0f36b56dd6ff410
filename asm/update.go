package asm

import (
	"sort"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

func uniqueUpdates(us []ir.Update) []ir.Update {
	seen := map[string]bool{}
	var out []ir.Update
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

// updateTemps is the vector registers one vector's update needs besides the
// broadcast scalars.
func updateTemps(u ir.Update) int {
	switch {
	case u.Adam():
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
func emitUpdate(ctx *build.Context, u ir.Update, s isa, masks *maskTable) {
	ctx.Function(u.Name() + s.name)
	ctx.Attributes(attr.NOSPLIT)
	ctx.SignatureExpr(u.Signature())
	ctx.Doc(stubDoc(u.Name(), s)...)
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
	vb, un := s.vecBytes, min(updateUnroll, (s.nregs-w.temp0)/updateTemps(u))
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
	u     ir.Update
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
	n := updateTemps(w.u)
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
	case u.Adam():
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
