package asm

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

// TestSimulatedUpdates runs every path of the update kernels in the
// simulator against the reference loop, bit for bit (no FMA).
func TestSimulatedUpdates(t *testing.T) {
	var us []ir.Update
	for _, mom := range []bool{false, true} {
		for _, n := range []int{1, 7, 16, 17, 33, 64, 65, 129} {
			us = append(us, ir.Update{DType: spec.Float32, N: n, Momentum: mom}, ir.Update{DType: spec.Float64, N: n, Momentum: mom})
		}
	}
	us = uniqueUpdates(us)
	f, err := buildAsm(nil, us, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, fn := range f.Functions() {
		for _, u := range us {
			for _, s := range paths {
				if fn.Name == u.Name()+s.name {
					simUpdate(t, fn.Name, u, func(mc *machine) { mc.run(fn) })
					n++
				}
			}
		}
	}
	if n != 2*len(us) {
		t.Fatalf("simulated %d functions, want %d", n, 2*len(us))
	}
}

func simUpdate(t *testing.T, name string, u ir.Update, run func(*machine)) {
	t.Helper()
	es := elemSize(u.DType)
	rng := rand.New(rand.NewPCG(uint64(u.N), 5))
	rnd := func() []float64 {
		x := make([]float64, u.N)
		for i := range x {
			x[i] = rng.Float64()*2 - 1
		}
		return x
	}
	p, v, g := rnd(), rnd(), rnd()
	lr, mu := 0.0123, 0.9
	mc := newMachine(encode(p, es), encode(v, es), encode(g, es)) // c, a, b
	mc.regions[1].writable = true                                 // v
	frame := mc.frame
	mc.args = []uint64{mc.args[0], mc.args[2]} // p, grad
	if u.Momentum {
		mc.args = []uint64{mc.args[0], mc.regionAddr(1), mc.args[1]} // p, v, grad
	}
	mc.setFrame(frame)
	mc.putScalars(es, lr, mu)
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s: %v", name, r)
		}
	}()
	run(mc)
	wantP, wantV := updateRef(u, p, v, g, lr, mu)
	gotP, gotV := decode(mc.bytesOf("c"), es), decode(mc.bytesOf("a"), es)
	for i := range wantP {
		if gotP[i] != wantP[i] || gotV[i] != wantV[i] {
			t.Fatalf("%s: element %d: p, v = %v, %v; want %v, %v", name, i, gotP[i], gotV[i], wantP[i], wantV[i])
		}
	}
}

// regionAddr is the address of region i (c, a, b, frame, …).
func (m *machine) regionAddr(i int) uint64 { return m.regions[i].lo }

// putScalars writes lr and mu after the pointers of the frame.
func (m *machine) putScalars(es int, lr, mu float64) {
	at := m.frame + uint64(8*len(m.args))
	for i, x := range []float64{lr, mu} {
		b := m.mem[at+uint64(i*es):]
		if es == 8 {
			binary.LittleEndian.PutUint64(b, math.Float64bits(x))
		} else {
			binary.LittleEndian.PutUint32(b, math.Float32bits(float32(x)))
		}
	}
}

// updateRef is the reference loop at the update's precision.
func updateRef(u ir.Update, p, v, g []float64, lr, mu float64) (pOut, vOut []float64) {
	rnd := func(x float64) float64 {
		if u.DType == spec.Float32 {
			return float64(float32(x))
		}
		return x
	}
	pOut, vOut = make([]float64, len(p)), make([]float64, len(v))
	for i := range p {
		pi, vi, gi := rnd(p[i]), rnd(v[i]), rnd(g[i])
		step := gi
		if u.Momentum {
			vi = rnd(rnd(rnd(mu)*vi) + gi)
			step = vi
		}
		pOut[i], vOut[i] = rnd(pi-rnd(rnd(lr)*step)), vi
	}
	return pOut, vOut
}
