package kerneltest

import (
	"math"
	"math/rand/v2"
	"testing"
)

// allPaths are tried in turn; a path the machine lacks is reported, not run.
var allPaths = []string{"avx512", "avx2", "generic"}

const guard = 16 // NaN elements each side of every buffer

// buffer returns n random elements inside NaN guard zones: the whole slice
// and the inner view.
func buffer[T float32 | float64](rng *rand.Rand, n int) (all, in []T) {
	all = make([]T, n+2*guard)
	for i := range all {
		all[i] = T(math.NaN())
	}
	for i := guard; i < guard+n; i++ {
		all[i] = T(rng.Float64()*2 - 1)
	}
	return all, all[guard : guard+n]
}

func TestConformance32(t *testing.T) { conformance(t, kernels32, 2e-5) }
func TestConformance64(t *testing.T) { conformance(t, kernels64, 1e-12) }

func conformance[T float32 | float64](t *testing.T, ks []kernel[T], tol float64) {
	defer SetKernels("auto")
	for _, p := range allPaths {
		if err := SetKernels(p); err != nil {
			t.Logf("path %s not run: %v", p, err)
			continue
		}
		if Kernels() != p {
			t.Fatalf("Kernels() = %q after SetKernels(%q)", Kernels(), p)
		}
		for _, k := range ks {
			checkKernel(t, p, k, tol)
		}
		if p == "avx512" { // and the other form of its streamed matrix-vector products
			nngenRowsGEMV = !nngenRowsGEMV
			for _, k := range ks {
				checkKernel(t, p+" (other matrix-vector form)", k, tol)
			}
			nngenRowsGEMV = !nngenRowsGEMV
		}
	}
}

// checkKernel runs k on the current path and compares with Generic: same
// result within tol (abs or rel), guards intact, inputs unchanged.
func checkKernel[T float32 | float64](t *testing.T, path string, k kernel[T], tol float64) {
	rng := rand.New(rand.NewPCG(uint64(k.m*1000003+k.n*1009+k.k), 7))
	a, freeA := fenced[T](t, rng, k.alen)
	defer freeA()
	b, freeB := fenced[T](t, rng, k.blen)
	defer freeB()
	call, c := buffer[T](rng, k.m*k.n)
	want := append([]T(nil), c...)
	a0, b0 := append([]T(nil), a...), append([]T(nil), b...)
	k.generic(want, a, b)
	k.run(c, a, b)
	for i := range c {
		if !close(float64(c[i]), float64(want[i]), tol) {
			t.Fatalf("%s %s: c[%d] (row %d col %d) = %v, want %v", path, k.name, i, i/k.n, i%k.n, c[i], want[i])
		}
	}
	for i := range guard {
		if !isNaN(call[i]) || !isNaN(call[len(call)-1-i]) {
			t.Fatalf("%s %s: wrote outside c (guard %d)", path, k.name, i)
		}
	}
	if !equal(a, a0) || !equal(b, b0) {
		t.Fatalf("%s %s: modified a read-only input", path, k.name)
	}
}

func close(got, want, tol float64) bool {
	d := math.Abs(got - want)
	return d <= tol || d <= tol*math.Abs(want)
}

func isNaN[T float32 | float64](x T) bool { return x != x }

func equal[T float32 | float64](x, y []T) bool {
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

func TestRowRanges32(t *testing.T) { rowRanges(t, kernels32, 2e-5) }
func TestRowRanges64(t *testing.T) { rowRanges(t, kernels64, 1e-12) }

// rowRanges runs every Batched kernel on every path over ranges of its
// batch dimension — empty, one row, a middle run, the ends — against
// Generic on the same range. Rows of C outside it (NN, NT) stay as they
// were or, where a tile overlapping the range's start reached them, hold
// their values over the whole batch (the assembly's contract: rows.go).
func rowRanges[T float32 | float64](t *testing.T, ks []kernel[T], tol float64) {
	defer SetKernels("auto")
	n := 0
	for _, p := range allPaths {
		if SetKernels(p) != nil {
			continue
		}
		for _, k := range ks {
			if k.runRange == nil {
				continue
			}
			n++
			r := k.rows
			for _, rg := range [][2]int{{0, 0}, {0, 1}, {r - 1, r}, {1, r - 1}, {r / 3, 2 * r / 3}, {0, r}} {
				lo, hi := rg[0], max(rg[0], rg[1])
				rng := rand.New(rand.NewPCG(uint64(lo*131+hi), 9))
				_, a := buffer[T](rng, k.alen)
				_, b := buffer[T](rng, k.blen)
				_, c := buffer[T](rng, k.m*k.n)
				want, full := append([]T(nil), c...), append([]T(nil), c...)
				k.genericRange(want, a, b, lo, hi)
				k.genericRange(full, a, b, 0, r)
				k.runRange(c, a, b, lo, hi)
				for i := range c {
					outside := !k.transA && k.examples == 0 && (i/k.n < lo || i/k.n >= hi)
					if !close(float64(c[i]), float64(want[i]), tol) && !(outside && close(float64(c[i]), float64(full[i]), tol)) {
						t.Fatalf("%s %s [%d, %d): c[%d] = %v, want %v", p, k.name, lo, hi, i, c[i], want[i])
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no Batched kernels generated")
	}
}
