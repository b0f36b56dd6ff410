package pmath

import (
	"hash/fnv"
	"math"
	"runtime"
	"testing"

	"github.com/nngen/nngen/weightinit"
)

// ulps is the distance of a and b in units in the last place.
func ulps(a, b float64) uint64 {
	if a == b || (math.IsNaN(a) && math.IsNaN(b)) {
		return 0
	}
	if math.Signbit(a) != math.Signbit(b) {
		return math.MaxUint64
	}
	x, y := math.Float64bits(a), math.Float64bits(b)
	if x > y {
		return x - y
	}
	return y - x
}

// TestAgainstMath compares every function with the standard library's over
// random arguments in each function's ranges and at the special values:
// they must agree within 2 ulp (both are within 1 ulp of the truth, and
// amd64's assembly Exp is off by up to 2). Arguments where amd64's assembly
// is wrong are left out: Exp near overflow (it overflows early) and Log of
// subnormals (it ignores their exponent).
func TestAgainstMath(t *testing.T) {
	if runtime.GOARCH == "s390x" {
		t.Skip("s390x's assembly math is up to 3 ulp from the truth")
	}
	r := weightinit.NewRand(7)
	special := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 2, 1e-300, 5e-324, 1e-20, 3e-9,
		0.625, 0.84375, 1.25, 2.857, 6, 20, 44, 45, 700, 709.7, 710, -745, -746,
		math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, math.SmallestNonzeroFloat64}
	funcs := []struct {
		name      string
		got, want func(float64) float64
	}{
		{"Exp", Exp, math.Exp},
		{"Log", Log, math.Log},
		{"Log1p", Log1p, math.Log1p},
		{"Tanh", Tanh, math.Tanh},
		{"Erf", Erf, math.Erf},
	}
	for _, f := range funcs {
		args := append([]float64(nil), special...)
		for _, s := range special {
			args = append(args, -s)
		}
		for _, scale := range []float64{1e-12, 1e-6, 0.01, 1, 3, 10, 100, 700} {
			for i := 0; i < 20000; i++ {
				args = append(args, (2*r.Float64()-1)*scale)
			}
		}
		for _, x := range args {
			if (f.name == "Exp" && x > 709) || (f.name == "Log" && math.Abs(x) < 0x1p-1022) {
				continue
			}
			if d := ulps(f.got(x), f.want(x)); d > 2 {
				t.Errorf("%s(%v) = %v, math says %v (%d ulp apart)", f.name, x, f.got(x), f.want(x), d)
			}
		}
	}
	if got, want := Log(5e-324), -744.4400719213812; got != want {
		t.Errorf("Log(5e-324) = %v, want %v", got, want)
	}
	if got := Exp(709.7); got != 1.6549840276802644e+308 {
		t.Errorf("Exp(709.7) = %v, want 1.6549840276802644e+308", got)
	}
	for _, x := range []float64{0.9, 0.999, 0.99999999, 0.5, 1, 2, 1e-3, 1e300} {
		for n := 0; n < 5000; n += 1 + n/10 {
			if got, want := PowInt(x, n), math.Pow(x, float64(n)); ulps(got, want) > 1 {
				t.Errorf("PowInt(%v, %d) = %v, math.Pow says %v", x, n, got, want)
			}
		}
	}
}

// TestGolden pins the bits: a hash of every function's value at many
// arguments, the same on every GOARCH (CI runs it under emulation), which is
// what this package is for.
func TestGolden(t *testing.T) {
	h := fnv.New64a()
	r := weightinit.NewRand(11)
	put := func(v float64) {
		b := math.Float64bits(v)
		for i := 0; i < 8; i++ {
			h.Write([]byte{byte(b >> (8 * i))})
		}
	}
	for _, scale := range []float64{1e-9, 0.1, 1, 4, 30, 750} {
		for i := 0; i < 5000; i++ {
			x := (2*r.Float64() - 1) * scale
			put(Exp(x))
			put(Log(math.Abs(x)))
			put(Log1p(math.Abs(x)))
			put(Tanh(x))
			put(Erf(x))
			put(PowInt(math.Abs(x), i))
		}
	}
	const want = 0x9bc0c811d5fbd3fa
	if got := h.Sum64(); got != want {
		t.Errorf("hash of the values = %#x, want %#x", got, uint64(want))
	}
}
