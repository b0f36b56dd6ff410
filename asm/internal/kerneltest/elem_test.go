package kerneltest

import (
	"cmp"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

func TestElems32(t *testing.T) { elemConformance(t, elems32) }
func TestElems64(t *testing.T) { elemConformance(t, elems64) }

// elemConformance runs every elementwise kernel on every path against
// Generic: one add per element, so the results must be bit-identical.
func elemConformance[T float32 | float64](t *testing.T, es []elem[T]) {
	defer SetKernels("auto")
	if len(es) == 0 {
		t.Fatal("no elementwise kernels generated")
	}
	for _, p := range allPaths {
		if err := SetKernels(p); err != nil {
			t.Logf("path %s not run: %v", p, err)
			continue
		}
		for _, e := range es {
			checkElem(t, p, e)
		}
	}
}

func checkElem[T float32 | float64](t *testing.T, path string, e elem[T]) {
	rng := rand.New(rand.NewPCG(uint64(e.n), 13))
	dAll, d := buffer[T](rng, e.n)
	// src is as long as the kernel's view of it and ends at an inaccessible
	// page, so that a read past the view's end faults.
	src, free := fenced[T](t, rng, cmp.Or(e.srcLen, e.n))
	defer free()
	var gAll, g []T // an input g is fenced too; an output keeps its guards
	if e.gIn {
		var freeG func()
		g, freeG = fenced[T](t, rng, e.n)
		defer freeG()
	} else {
		gAll, g = buffer[T](rng, e.n)
	}
	if e.relu {
		specials(d, 1)
		specials(src, 1)
		specials(g, 2)
	}
	if e.exp != 0 { // past both clamps of eˣ, through ±Inf and NaN
		for i := range src {
			src[i] *= [2]T{8, 800}[i%2]
		}
		specials(src, 1)
		src[5%e.n], src[7%e.n] = T(math.Inf(1)), T(math.Inf(-1))
		src[9%e.n], src[11%e.n] = 1e-5, -3e-20 // tanh's small results keep their digits
	}
	c := T(elemC)
	// g is an input, or the fused kernels' second output a.
	want, src0, wantG := append([]T(nil), d...), append([]T(nil), src...), append([]T(nil), g...)
	d0 := append([]T(nil), d...)
	e.generic(want, src, wantG, c)
	if equal(want, d) && equal(wantG, g) {
		t.Fatalf("%s: Generic changed nothing", e.name)
	}
	e.run(d, src, g, c)
	if !sameBits(d, want) || !sameBits(g, wantG) {
		t.Fatalf("%s %s: differs from Generic", path, e.name)
	}
	if !sameBits(src, src0) {
		t.Fatalf("%s %s: modified src", path, e.name)
	}
	switch e.inPlace {
	case gradInPlace: // ∂J/∂z over ∂J/∂a (g, an input: still its values)
		in := append([]T(nil), wantG...)
		e.run(in, src, in, c)
		if !sameBits(in, want) {
			t.Fatalf("%s %s: in place (dst = g) differs from Generic", path, e.name)
		}
	case zInPlace: // a over z
		in := append([]T(nil), d0...)
		e.run(in, src, in, c)
		if !sameBits(in, wantG) {
			t.Fatalf("%s %s: in place (a = z) differs from Generic", path, e.name)
		}
	}
	if e.exp != 0 {
		checkExpAccuracy(t, e, src, want)
	}
	for i := range guard {
		if !isNaN(dAll[i]) || !isNaN(dAll[len(dAll)-1-i]) || gAll != nil && (!isNaN(gAll[i]) || !isNaN(gAll[len(gAll)-1-i])) {
			t.Fatalf("%s %s: wrote outside dst or a (guard %d)", path, e.name, i)
		}
	}
}

// specials puts NaN, ±0 and ±1 into v from index k, every third element,
// where max and the compare could disagree with Go's; an index taken
// already moves on to the next free one (nine elements once put −1 over
// the NaN), as far as v has room.
func specials[T float32 | float64](v []T, k int) {
	used := map[int]bool{}
	for i, x := range []float64{math.NaN(), math.Copysign(0, -1), 0, -1, 1, -0.375} {
		j := (k + 3*i) % len(v)
		for n := 0; used[j] && n < len(v); n++ {
			j = (j + 1) % len(v)
		}
		used[j] = true
		v[j] = T(x)
	}
}

// sameBits is bitwise equality, any NaN matching any NaN.
func sameBits[T float32 | float64](x, y []T) bool {
	for i := range x {
		if isNaN(x[i]) != isNaN(y[i]) || !isNaN(x[i]) && math.Float64bits(float64(x[i])) != math.Float64bits(float64(y[i])) {
			return false
		}
	}
	return true
}

// elemC is the constant c of the kernels that take one.
const elemC = 0.375

// checkExpAccuracy compares a sigmoid or tanh kernel's results with math's
// in float64: sigmoid within a few units of T's precision (its results are
// at most 1), tanh within a few units of its result's last place.
func checkExpAccuracy[T float32 | float64](t *testing.T, e elem[T], src, got []T) {
	tol := 4 * math.Pow(2, -52)
	if unsafe.Sizeof(T(0)) == 4 {
		tol = 4 * math.Pow(2, -23)
	}
	for i, x := range src {
		want := math.Tanh(float64(x))
		if e.exp == 1 {
			want = 1 / (1 + math.Exp(-float64(x)))
		}
		bound := tol // sigmoid: absolute; tanh: relative, as its small-x form keeps the digits
		if e.exp == 2 {
			bound = tol * max(math.Abs(want), 0x1p-126)
		}
		if isNaN(x) != isNaN(got[i]) || !isNaN(x) && math.Abs(float64(got[i])-want) > bound {
			t.Fatalf("%s(%v) = %v, math %v", e.name, x, got[i], want)
		}
	}
}

// TestExpNaN: eˣ of a NaN is NaN whatever its payload and sign, in Go
// (expf32, expf64) and in every sigmoid and tanh kernel on every path: they
// add z = x − x (0, or NaN) to the result last. Without it a payload
// reached the exponent bits through n's integer add: sigmoid(NaN) came out
// 1 and tanh(NaN) −1, in float32 and float64.
func TestExpNaN(t *testing.T) {
	defer SetKernels("auto")
	n64 := []uint64{0x7ff8000000000001, 0xfff8000000000001, 0x7ff8000000000123, 0x7ff0000000000001}
	n32 := []uint32{0x7fc00001, 0xffc00001, 0x7fc00123, 0x7f800001}
	for i := range n64 {
		if v := expf64(math.Float64frombits(n64[i])); !isNaN(v) {
			t.Errorf("expf64(NaN %#x) = %v", n64[i], v)
		}
		if v := expf32(math.Float32frombits(n32[i])); !isNaN(v) {
			t.Errorf("expf32(NaN %#x) = %v", n32[i], v)
		}
	}
	for _, p := range allPaths {
		if SetKernels(p) != nil {
			continue
		}
		for _, e := range elems64 {
			if e.exp != 0 {
				nanKernel(t, p, e, func(i int) float64 { return math.Float64frombits(n64[i%len(n64)]) })
			}
		}
		for _, e := range elems32 {
			if e.exp != 0 {
				nanKernel(t, p, e, func(i int) float32 { return math.Float32frombits(n32[i%len(n32)]) })
			}
		}
	}
}

// nanKernel runs kernel e on NaNs of the given payloads and wants NaN out.
func nanKernel[T float32 | float64](t *testing.T, path string, e elem[T], nan func(int) T) {
	src, dst, g := make([]T, e.n), make([]T, e.n), make([]T, e.n)
	for i := range src {
		src[i] = nan(i)
	}
	e.run(dst, src, g, T(elemC))
	for i, v := range dst {
		if !isNaN(v) {
			t.Errorf("%s %s: element %d of NaNs = %v", path, e.name, i, v)
			return
		}
	}
}
