package kerneltest

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

func TestLayerNorm32(t *testing.T) { lnConformance(t, lns32, 2e-6) }
func TestLayerNorm64(t *testing.T) { lnConformance(t, lns64, 1e-13) }

// lnConformance runs every layer-norm kernel on every path against Generic,
// bit for bit (the same 16 partial sums, reduced in the same order), and
// checks Generic's forward against a plain float64 layer norm within tol.
func lnConformance[T float32 | float64](t *testing.T, ks []lnKernel[T], tol float64) {
	defer SetKernels("auto")
	if len(ks) == 0 {
		t.Fatal("no layer-norm kernels generated")
	}
	for _, k := range ks {
		want := newLNBufs[T](k.n, 1)
		k.generic(want)
		if k.name[:9] == "lnForward" {
			checkLNForward(t, k.name, want, tol)
		}
		for _, p := range allPaths {
			if SetKernels(p) != nil {
				continue
			}
			got := newLNBufs[T](k.n, 1)
			k.run(got)
			if !reflect.DeepEqual(bitsOf(got), bitsOf(want)) {
				t.Errorf("%s %s: differs from Generic", p, k.name)
			}
		}
	}
}

// newLNBufs fills every buffer from a seeded generator: rows of z with an
// offset and spread that make the mean matter, and σ̂ > 0.
func newLNBufs[T float32 | float64](n int, seed uint64) *lnBufs[T] {
	rng := rand.New(rand.NewPCG(uint64(n), seed))
	vec := func(scale, offset float64) []T {
		v := make([]T, n)
		for i := range v {
			v[i] = T(offset + scale*(2*rng.Float64()-1))
		}
		return v
	}
	return &lnBufs[T]{
		z: vec(3, 7), xhat: vec(1.5, 0), out: vec(1, 0), gamma: vec(0.5, 1), beta: vec(0.5, 0),
		dz: vec(1, 0), dgamma: vec(1, 0), dbeta: vec(1, 0), dy: vec(1, 0),
		sigma: []T{T(0.5 + rng.Float64())}, eps: 1e-5,
	}
}

// bitsOf is every buffer as its float64 bit patterns, for exact comparison,
// every NaN as one: which of two NaNs an add returns is its first
// operand's on x86, and Generic's operand order is the Go compiler's (the
// race detector's build reverses some), so payloads are no contract.
func bitsOf[T float32 | float64](x *lnBufs[T]) [][]uint64 {
	var out [][]uint64
	for _, v := range [][]T{x.z, x.xhat, x.out, x.gamma, x.beta, x.dz, x.dgamma, x.dbeta, x.dy, x.sigma} {
		b := make([]uint64, len(v))
		for i, e := range v {
			b[i] = math.Float64bits(float64(e))
			if e != e {
				b[i] = math.Float64bits(math.NaN())
			}
		}
		out = append(out, b)
	}
	return out
}

// checkLNForward compares the forward kernel's σ̂, x̂ and out with a plain
// two-pass float64 layer norm.
func checkLNForward[T float32 | float64](t *testing.T, name string, x *lnBufs[T], tol float64) {
	n := float64(len(x.z))
	mean, vari := 0.0, 0.0
	for _, z := range x.z {
		mean += float64(z)
	}
	mean /= n
	for _, z := range x.z {
		vari += (float64(z) - mean) * (float64(z) - mean)
	}
	sigma := math.Sqrt(vari/n + x.eps)
	if d := math.Abs(float64(x.sigma[0])-sigma) / sigma; d > tol {
		t.Errorf("%s: σ̂ = %v, want %v", name, x.sigma[0], sigma)
	}
	for i, z := range x.z {
		xh := (float64(z) - mean) / sigma
		out := float64(x.beta[i]) + float64(x.gamma[i])*xh
		if math.Abs(float64(x.xhat[i])-xh) > tol*4 || math.Abs(float64(x.out[i])-out) > tol*4 {
			t.Fatalf("%s: element %d: x̂ %v out %v, want %v %v", name, i, x.xhat[i], x.out[i], xh, out)
		}
	}
}

func TestLayerNormRows32(t *testing.T) { lnRowsConformance(t, lns32) }
func TestLayerNormRows64(t *testing.T) { lnRowsConformance(t, lns64) }

// lnRowsConformance runs the forward and backward kernels over runs of 0
// to 35 rows (one per element of sigma) on every path against Generic, bit
// for bit: every row normalised on its own, ∂γ and ∂β summed over the rows
// in order, no row past the run written. The assembly runs rows 16 at a
// time (float32 on AVX-512; forward and backward), then the forward kernel
// in groups (four on AVX-512, two on AVX2), then one at a time: 21 rows
// take each way on AVX-512, 35 the 16-row way twice. In the longer runs
// rows 5 and 7 of z and 9–11 of ∂out hold NaNs and row 18 of z an infinity,
// which must spoil their own rows (and columns of ∂γ and ∂β) only.
func lnRowsConformance[T float32 | float64](t *testing.T, ks []lnKernel[T]) {
	defer SetKernels("auto")
	n := 0
	for _, k := range ks {
		forward := k.name[:9] == "lnForward"
		if !forward && k.name[:10] != "lnBackward" {
			continue
		}
		n++
		for _, rows := range []int{0, 1, 3, 4, 9, 16, 17, 21, 35} {
			bufs := func() *lnBufs[T] {
				x := newLNBufs[T]((rows+1)*k.n, uint64(rows)) // a row past the run, which must stay as it is
				if rows > 18 {
					x.z[5*k.n+7] = T(math.NaN())
					x.z[18*k.n+k.n-1] = T(math.Inf(1))
					// NaNs in the partial sums that meet first in the
					// halving (0 and 8, then 4, 2, 1), and two rows' NaNs
					// in one column of ∂γ and ∂β.
					for i, e := range []int{0, 8, 4, 2, 1} {
						x.z[7*k.n+e] = nanOf[T](uint64(i + 1))
						x.dy[9*k.n+e] = nanOf[T](uint64(i + 1))
					}
					x.dy[10*k.n+3], x.dy[11*k.n+3] = nanOf[T](6), nanOf[T](7)
				}
				x.gamma, x.beta, x.dgamma, x.dbeta = x.gamma[:k.n], x.beta[:k.n], x.dgamma[:k.n], x.dbeta[:k.n]
				x.sigma = make([]T, rows, rows+1)
				for i := range x.sigma { // the backward kernels' σ̂ of each row; the forward kernels overwrite it
					x.sigma[i] = T(0.5 + float64(i)/4)
				}
				return x
			}
			want := bufs()
			k.generic(want)
			for _, p := range allPaths {
				if SetKernels(p) != nil {
					continue
				}
				got := bufs()
				k.run(got)
				if !reflect.DeepEqual(bitsOf(got), bitsOf(want)) {
					t.Errorf("%s %s, %d rows: differs from Generic", p, k.name, rows)
				}
			}
			if rows == 3 && forward { // the rows are normalised apart: row 2 alone gives the same bits
				one := bufs()
				one.z, one.xhat, one.out, one.sigma = one.z[2*k.n:], one.xhat[2*k.n:], one.out[2*k.n:], one.sigma[2:]
				k.generic(one)
				if !reflect.DeepEqual(bitsOf(one)[1][:k.n], bitsOf(want)[1][2*k.n:3*k.n]) {
					t.Errorf("%s: row 2 of 3 differs from row 2 alone", k.name)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no layer-norm forward or backward kernels generated")
	}
}

// nanOf is a quiet NaN of T with payload k.
func nanOf[T float32 | float64](k uint64) T {
	var x T
	switch p := any(&x).(type) {
	case *float32:
		*p = math.Float32frombits(0x7fc00000 | uint32(k))
	case *float64:
		*p = math.Float64frombits(0x7ff8000000000000 | k)
	}
	return x
}
