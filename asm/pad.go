package asm

import (
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/ir"
)

// Registers of the Pad kernel's long moves: where a run's loop is.
var (
	regPadDst = reg.R8
	regPadSrc = reg.R9
)

// padLoopVectors is the run length, in vectors, from which a move loops
// over groups of padUnroll vectors instead of running straight-line.
const (
	padLoopVectors = 16
	padUnroll      = 4
)

// emitPad emits the Pad kernel (ir/pad.go): per channel, each move of
// ir.Conv.PadSteps in order, but for the borders (unless e.Borders),
// which stay zero, as vector stores of zero or of loaded elements. A
// run's last partial vector is a whole vector ending at the run's end,
// rewriting elements the run already holds, or, in a run
// shorter than a vector, a masked load and store; a single zero is one
// scalar store. With opmasks (AVX-512) a straight-line copy's vectors load
// under a mask that leaves the single zeros inside it at zero, and those
// stores are not emitted: each element is then written once, but for
// the overlap of a run's last vector.
func emitPad(k *kb, e ir.Elementwise) {
	k.Load(k.Param("dst"), regDst)
	k.Load(k.Param("src"), regSrc)
	p := padder{kb: k, zero: k.s.vec(0), t: k.s.vec(1), mask: k.s.vec(2)}
	k.vzero(p.zero)
	steps := e.Pad.PadSteps()
	holes := p.holes(steps)
	k.loop("chan", regTiles, e.Chans, func() {
		for i, st := range steps {
			if h, ok := holes[i]; ok && (!st.Border || e.Borders) {
				p.move(st, h)
			}
		}
		if e.Chans > 1 { // on to the next channel
			k.addq(e.N*k.esize, regDst)
			k.addq(e.Pad.ImageSize()*k.esize, regSrc)
		}
	})
	k.ret()
}

// padder emits the moves of a Pad kernel.
type padder struct {
	*kb
	zero, t, mask reg.VecPhysical
}

// holes maps each step to emit to the single zeros its copy's masks apply
// (offsets from the copy's start); steps merged into a copy are left out.
// A single zero merges into the last straight-line copy that covers it,
// with opmasks only; the steps between them write elsewhere.
func (p *padder) holes(steps []ir.PadStep) map[int][]int {
	out := map[int][]int{}
	copyAt := -1
	for i, st := range steps {
		switch {
		case st.Copy:
			out[i], copyAt = nil, -1
			if p.s.opmask && st.N/p.lanes < padLoopVectors {
				copyAt = i
			}
		case st.N == 1 && copyAt >= 0 && st.Dst >= steps[copyAt].Dst && st.Dst < steps[copyAt].Dst+steps[copyAt].N:
			out[copyAt] = append(out[copyAt], st.Dst-steps[copyAt].Dst)
		default:
			out[i] = nil
		}
	}
	return out
}

// move emits one step, its copy's vectors masked at holes.
func (p *padder) move(st ir.PadStep, holes []int) {
	k, es := p.kb, p.esize
	dst, src := st.Dst*es, st.Src*es
	switch {
	case st.N == 1 && !st.Copy:
		if k.f64() {
			k.VMOVSD(p.zero.AsX(), mem(regDst, dst))
		} else {
			k.VMOVSS(p.zero.AsX(), mem(regDst, dst))
		}
	case st.N < k.lanes:
		prefix := uint32(1)<<st.N - 1
		v := p.zero
		if st.Copy {
			v = p.t
			p.setMask(prefix &^ p.holeBits(holes, 0))
			k.maskedLoad(mem(regSrc, src), p.mask, v)
		}
		if len(holes) > 0 || !st.Copy { // the holes are stored too, as the zeros loaded
			p.setMask(prefix)
		}
		k.maskedStore(v, p.mask, mem(regDst, dst))
	default:
		p.run(st.Copy, dst, src, st.N, holes)
	}
}

// holeBits are the lanes of the vector from element first on that holes
// fall in.
func (p *padder) holeBits(holes []int, first int) uint32 {
	var bits uint32
	for _, h := range holes {
		if h >= first && h < first+p.lanes {
			bits |= 1 << (h - first)
		}
	}
	return bits
}

// setMask loads K1 (AVX-512) with bits, or the AVX2 mask register with
// them, which are then a prefix (AVX2 has no holes).
func (p *padder) setMask(bits uint32) {
	if p.s.opmask {
		p.MOVL(operand.U32(bits), reg.EDX)
		p.KMOVW(reg.EDX, reg.K1)
		return
	}
	n := 0
	for bits>>n&1 != 0 {
		n++
	}
	p.loadMask(n, p.mask)
}

// run moves n ≥ lanes elements to byte offset dst (from src when copy):
// whole vectors, looped for long runs, then one vector ending at the end.
func (p *padder) run(copy bool, dst, src, n int, holes []int) {
	k, vb, es := p.kb, p.s.vecBytes, p.esize
	// one moves the vector of the run's elements from first on, at d and s
	// from base and sbase.
	one := func(base, sbase reg.Register, d, s, first int) {
		v := p.zero
		if copy {
			v = p.t
			if hb := p.holeBits(holes, first); hb != 0 {
				p.setMask((1<<k.lanes - 1) &^ hb)
				k.maskedLoad(mem(sbase, s), p.mask, v)
			} else {
				k.vload(mem(sbase, s), v)
			}
		}
		k.vstore(v, mem(base, d))
	}
	nvec := n / k.lanes
	done := 0
	if nvec >= padLoopVectors { // no holes: holes merge only into straight-line copies
		k.LEAQ(mem(regDst, dst), regPadDst)
		k.LEAQ(mem(regSrc, src), regPadSrc)
		k.loop("run", regKCnt, nvec/padUnroll, func() {
			for q := 0; q < padUnroll; q++ {
				one(regPadDst, regPadSrc, q*vb, q*vb, 0)
			}
			k.addq(padUnroll*vb, regPadDst)
			k.addq(padUnroll*vb, regPadSrc)
		})
		done = nvec / padUnroll * padUnroll
	}
	for q := done; q < nvec; q++ {
		one(regDst, regSrc, dst+q*vb, src+q*vb, q*k.lanes)
	}
	if n%k.lanes > 0 {
		back := n - k.lanes
		one(regDst, regSrc, dst+back*es, src+back*es, back)
	}
}
