package asm

import (
	"github.com/nngen/nngen/ir"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nngen/nngen/spec"
)

// TestSimulatedElems runs both paths of the elementwise kernels in the
// simulator against the reference loop, bit for bit; the AVX-512 path
// cannot run natively on every test machine.
func TestSimulatedElems(t *testing.T) {
	var es []ir.Elementwise
	for _, op := range []ir.ElemOp{ir.AddRow, ir.AddConst, ir.Relu, ir.ReluGrad, ir.AddRowRelu, ir.AddConstRelu, ir.Add} {
		for _, n := range []int{1, 7, 16, 17, 33, 64, 65, 129} {
			es = append(es, ir.Elementwise{Op: op, DType: spec.Float32, N: n}, ir.Elementwise{Op: op, DType: spec.Float64, N: n})
		}
	}
	es = uniqueElems(append(es, chanElems()...))
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

func simElem(t *testing.T, name string, e ir.Elementwise, run func(*machine)) {
	t.Helper()
	es := elemSize(e.DType)
	rng := rand.New(rand.NewPCG(uint64(e.N), 7))
	n := e.N
	if e.Op == ir.AddChanRelu {
		n = e.Chans * e.N
	}
	rnd := func() []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.Float64()*2 - 1
		}
		if isRelu(e) {
			// Where max and the compare could differ from Go's.
			for i, v := range []float64{math.NaN(), math.Copysign(0, -1), 0, -1, 1, -0.375} {
				x[(3*i+1)%n] = v
			}
		}
		return x
	}
	dst, src, g, c := rnd(), rnd(), rnd(), 0.375
	rng.Shuffle(len(g), func(i, j int) { g[i], g[j] = g[j], g[i] })
	mc := newMachine(encode(dst, es), encode(src, es), encode(g, es)) // c, a, b
	out := secondOut(e)
	if out != "" {
		for i := range mc.regions {
			mc.regions[i].writable = mc.regions[i].writable || mc.regions[i].name == out
		}
	}
	frame := mc.frame
	mc.args = mc.args[:len(e.PtrParams())]
	mc.setFrame(frame)
	mc.putScalars(es, c, 0)
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s: %v", name, r)
		}
	}()
	run(mc)
	got := decode(mc.bytesOf("c"), es)
	var got2 []float64
	if out != "" {
		got2 = decode(mc.bytesOf(out), es)
	}
	for i := range dst {
		s := src[i]
		if e.Op == ir.AddChanRelu { // a is the simulator's a (src), b its b (g): channel i/N's bias
			s = g[i/e.N]
		}
		want, want2 := elemRef(e, dst[i], s, g[i], c)
		if !sameFloat(got[i], want) || out != "" && !sameFloat(got2[i], want2) {
			t.Fatalf("%s: element %d = %v (%v), want %v (%v)", name, i, got[i], got2, want, want2)
		}
	}
}

// isRelu reports whether e computes a relu or its mask.
func isRelu(e ir.Elementwise) bool { return isReluOp(e.Op) }

// secondOut is the simulator buffer of a fused kernel's a, which is written.
func secondOut(e ir.Elementwise) string {
	return map[ir.ElemOp]string{ir.AddRowRelu: "b", ir.AddConstRelu: "a", ir.AddChanRelu: "a"}[e.Op]
}

// elemRef is one element of the reference loop at the kernel's precision:
// dst (or z, which the fused kernels leave as it was), and a for the fused
// kernels.
func elemRef(e ir.Elementwise, d, s, g, c float64) (float64, float64) {
	rnd := func(x float64) float64 {
		if e.DType == spec.Float32 {
			return float64(float32(x))
		}
		return x
	}
	switch e.Op {
	case ir.AddConst, ir.AddConstRelu:
		s = c
	case ir.Add: // dst = x + y: the simulator's a and b
		d = g
	case ir.Relu:
		return max(rnd(s), 0), 0
	case ir.ReluGrad:
		if rnd(s) > 0 {
			return rnd(g), 0
		}
		return 0, 0
	}
	z := rnd(rnd(d) + rnd(s))
	if secondOut(e) != "" {
		return rnd(d), max(z, 0)
	}
	return z, max(z, 0)
}

// sameFloat is bit equality, any NaN equal to any NaN.
func sameFloat(x, y float64) bool {
	return x != x && y != y || math.Float64bits(x) == math.Float64bits(y)
}
