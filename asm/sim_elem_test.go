package asm

import (
	"math/rand/v2"
	"testing"

	"github.com/nngen/nngen/spec"
)

// TestSimulatedElems runs both paths of the elementwise kernels in the
// simulator against the reference loop, bit for bit; the AVX-512 path
// cannot run natively on every test machine.
func TestSimulatedElems(t *testing.T) {
	var es []Elementwise
	for _, op := range []ElemOp{AddRow, AddConst} {
		for _, n := range []int{1, 7, 16, 17, 33, 64, 65, 129} {
			es = append(es, Elementwise{op, spec.Float32, n}, Elementwise{op, spec.Float64, n})
		}
	}
	es = uniqueElems(es)
	f, err := buildAsm(nil, nil, es)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, fn := range f.Functions() {
		for _, e := range es {
			for _, s := range paths {
				if fn.Name == e.Name()+s.name {
					simElem(t, fn.Name, e, func(mc *machine) { mc.run(fn) })
					n++
				}
			}
		}
	}
	if n != 2*len(es) {
		t.Fatalf("simulated %d functions, want %d", n, 2*len(es))
	}
}

func simElem(t *testing.T, name string, e Elementwise, run func(*machine)) {
	t.Helper()
	es := elemSize(e.DType)
	rng := rand.New(rand.NewPCG(uint64(e.N), 7))
	rnd := func() []float64 {
		x := make([]float64, e.N)
		for i := range x {
			x[i] = rng.Float64()*2 - 1
		}
		return x
	}
	dst, src, c := rnd(), rnd(), 0.375
	mc := newMachine(encode(dst, es), encode(src, es), nil) // c, a, b
	frame := mc.frame
	mc.args = mc.args[:2] // dst, src
	if e.Op == AddConst {
		mc.args = mc.args[:1] // v
	}
	mc.setFrame(frame)
	mc.putScalars(es, c, 0)
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s: %v", name, r)
		}
	}()
	run(mc)
	got := decode(mc.bytesOf("c"), es)
	for i := range dst {
		want := elemRef(e, dst[i], src[i], c)
		if got[i] != want {
			t.Fatalf("%s: element %d = %v, want %v", name, i, got[i], want)
		}
	}
}

// elemRef is one element of the reference loop at the kernel's precision.
func elemRef(e Elementwise, d, s, c float64) float64 {
	rnd := func(x float64) float64 {
		if e.DType == spec.Float32 {
			return float64(float32(x))
		}
		return x
	}
	if e.Op == AddConst {
		s = c
	}
	return rnd(rnd(d) + rnd(s))
}
