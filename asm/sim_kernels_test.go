package asm

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	avoir "github.com/mmcloughlin/avo/ir"

	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

// TestSimulatedKernels runs every path of the kernel sweep in the simulator
// against ir.Matmul's loop: the only check of the AVX-512 kernels on a
// machine without AVX-512, and a cross-check of the simulator on AVX2.
func TestSimulatedKernels(t *testing.T) {
	ks := simKernels()
	f, err := buildAsm(ks, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]ir.Matmul{}
	for _, m := range ks {
		byName[m.Name()] = m
	}
	n, want := 0, 0
	for _, m := range ks {
		want += len(kernelPaths(m))
	}
	for _, fn := range f.Functions() {
		for _, s := range rowsPaths {
			if m, ok := byName[strings.TrimSuffix(fn.Name, s.name)]; ok && strings.HasSuffix(fn.Name, s.name) {
				ranges := [][2]int{{0, m.Rows()}}
				if m.Batched {
					// [0, 1) and [1, 3): ranges ending before a whole tile's rows
					ranges = append(ranges, [2]int{1, m.Rows() - 1}, [2]int{m.Rows() - 1, m.Rows()}, [2]int{0, 1}, [2]int{1, min(3, m.Rows())})
				}
				for _, rg := range ranges {
					if rg[0] >= rg[1] {
						continue // the dispatcher sends an empty range to Generic (rows.go)
					}
					simCheck(t, fn.Name, m, rg[0], rg[1], func(mc *machine) { mc.funcs = f.Functions(); mc.run(fn) })
				}
				n++
			}
		}
	}
	if n != want {
		t.Fatalf("simulated %d functions, want %d", n, want)
	}
}

// simKernels: every form, tails at 4, 8 and 16 lanes, accumulate, float64,
// the reference networks' small products and matrix-vector products;
// kept small for speed.
func simKernels() []ir.Matmul {
	var ks []ir.Matmul
	for _, d := range []spec.DType{spec.Float32, spec.Float64} {
		ks = append(ks, sweep(d, []int{1, 3, 7, 16, 17, 33}, false)...)
		ks = append(ks, sweep(d, []int{5, 31}, true)...)
	}
	ks = append(ks, dense(64, 64, 32, spec.Float32)...)
	ks = append(ks, dense(128, 10, 32, spec.Float32)...)
	ks = append(ks, dense(784, 128, 32, spec.Float32)...)
	ks = append(ks, dense(784, 128, 1, spec.Float32)...)
	ks = append(ks, packed()...)
	ks = append(ks, transposed()...)
	ks = append(ks, rowKernels()...)
	ks = append(ks, windowed()...)
	return uniqueSorted(ks)
}

// simCheck runs a kernel on random operands (a Batched one on rows
// [lo, hi) of its batch) and compares with the reference.
func simCheck(t *testing.T, name string, m ir.Matmul, lo, hi int, run func(*machine)) {
	t.Helper()
	es := elemSize(m.DType)
	rng := rand.New(rand.NewPCG(uint64(m.M*7919+m.N*31+m.K), 3))
	rnd := func(n int) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.Float64()*2 - 1
		}
		return x
	}
	a, b, c := rnd(m.ALen()), rnd(m.BLen()), rnd(m.M*m.N)
	mc := newMachine(encode(c, es), encode(a, es), encode(b, es))
	if m.Batched {
		mc.args = append(mc.args, uint64(lo), uint64(hi))
		mc.setFrame(mc.frame)
	}
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s: %v", name, r)
		}
	}()
	run(mc)
	got, want := decode(mc.bytesOf("c"), es), reference(m, a, b, c, lo, hi)
	full := reference(m, a, b, c, 0, m.Rows())
	tol := 2e-5
	if es == 8 {
		tol = 1e-12
	}
	far := func(x, y float64) bool { d := math.Abs(x - y); return d > tol && d > tol*math.Abs(y) }
	for i := range want {
		// A row range's rows of C outside it may hold their whole-batch
		// values (rows.go's overlapping tile); nothing else changes.
		outside := m.Batched && !m.TransA && m.Examples == 0 && (i/m.N < lo || i/m.N >= hi)
		if far(got[i], want[i]) && !(outside && !far(got[i], full[i])) {
			t.Fatalf("%s: c[%d] = %v, want %v", name, i, got[i], want[i])
		}
	}
}

// reference is ir.Matmul's loop in float64, over rows [lo, hi) of a
// Batched product's batch (M, or K with TransA; other rows of C unchanged).
func reference(m ir.Matmul, a, b, c []float64, lo, hi int) []float64 {
	if m.Examples > 0 { // summed over examples [lo, hi), one after another in A and B
		one := m
		one.Examples, one.Batched = 0, false
		ae, be := m.M*m.K, m.BExample()
		for e := lo; e < hi; e++ {
			c = reference(one, a[e*ae:(e+1)*ae], b[e*be:(e+1)*be], c, 0, 0)
		}
		return append([]float64(nil), c...)
	}
	out := append([]float64(nil), c...)
	iLo, iHi, kLo, kHi := 0, m.M, 0, m.K
	switch {
	case m.Batched && m.TransA:
		kLo, kHi = lo, hi
	case m.Batched:
		iLo, iHi = lo, hi
	}
	for i := iLo; i < iHi; i++ {
		for j := 0; j < m.N; j++ {
			s := 0.0
			if m.Accumulate {
				s = c[i*m.N+j]
			}
			for k := kLo; k < kHi; k++ {
				aik, bkj := a[i*m.K+k], bAt(m, b, k, j)
				if m.Flip {
					aik = a[k/m.Taps*m.M*m.Taps+i*m.Taps+m.Taps-1-k%m.Taps]
				}
				if m.TransA {
					aik = a[k*m.M+i]
				}
				s += aik * bkj
			}
			out[i*m.N+j] = s
		}
	}
	return out
}

// bAt is B(k, j) in the layout ir.Matmul describes.
func bAt(m ir.Matmul, b []float64, k, j int) float64 {
	switch {
	case m.Windowed() && m.TransB:
		return b[j/m.Taps*m.LdB+m.Offset(j%m.Taps)+k]
	case m.Windowed():
		return b[k/m.Taps*m.LdB+m.Offset(k%m.Taps)+j]
	case m.TransB:
		return b[j*m.K+k]
	}
	return b[k*m.N+j]
}

func encode(x []float64, es int) []byte {
	b := make([]byte, len(x)*es)
	for i, v := range x {
		if es == 8 {
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
		} else {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(float32(v)))
		}
	}
	return b
}

func decode(b []byte, es int) []float64 {
	x := make([]float64, len(b)/es)
	for i := range x {
		if es == 8 {
			x[i] = f64at(b, 8*i)
		} else {
			x[i] = float64(f32at(b, 4*i))
		}
	}
	return x
}

// TestTransposedForm checks that the shapes of transposed() take the
// transposed form on both paths, so that the simulation and the sweep
// test it.
func TestTransposedForm(t *testing.T) {
	f, err := buildAsm(transposed(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	wide := map[string]bool{} // AVX-512 drivers whose K takes 16×16 blocks
	for _, m := range transposed() {
		wide[m.Name()+"AVX512"] = m.K%16 == 0
	}
	n := 0
	for _, fn := range f.Functions() {
		if fn.Name[0] == 'm' { // a driver, not a micro-kernel
			n++
			if !hasOpcode(fn, "VSHUFPS") {
				t.Errorf("%s: not in the transposed form", fn.Name)
			}
			if got := hasOpcode(fn, "VSHUFF32X4"); got != wide[fn.Name] {
				t.Errorf("%s: 16×16 blocks %v, want %v", fn.Name, got, wide[fn.Name])
			}
		}
	}
	if n != 2*len(transposed()) {
		t.Errorf("%d drivers, want %d", n, 2*len(transposed()))
	}
	back := 0
	for _, m := range transposed() {
		for _, g := range planBcast(avx2, 8, m.M, m.N, m.K, m.Accumulate, true, true).groups {
			back += g.back
		}
	}
	if back == 0 {
		t.Error("no shape of transposed() steps its last panel back on AVX2")
	}
}

func hasOpcode(fn *avoir.Function, op string) bool {
	for _, in := range fn.Instructions() {
		if in.Opcode == op {
			return true
		}
	}
	return false
}
