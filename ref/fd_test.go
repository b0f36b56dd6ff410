package ref

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
)

// Finite-difference helpers. The error measure is
//
//	relErr(a, b) = |a − b| / max(|a| + |b|, errFloor)
//
// relative where the derivative is large enough to measure, and an
// absolute error scaled by 1/errFloor where both are near zero (a
// derivative of exactly 0 cannot be matched relatively by a difference
// quotient that carries rounding noise ~1e-11).
const (
	fdStep   = 1e-5
	errFloor = 1e-4
	maxErr   = 1e-6
)

func relErr(a, b float64) float64 {
	return math.Abs(a-b) / math.Max(math.Abs(a)+math.Abs(b), errFloor)
}

// centralDiff returns (f(s[j]+h) − f(s[j]−h)) / 2h, restoring s[j].
func centralDiff(f func() float64, s []float64, j int, h float64) float64 {
	old := s[j]
	s[j] = old + h
	up := f()
	s[j] = old - h
	down := f()
	s[j] = old
	return (up - down) / (2 * h)
}

// checkFD compares analytic[j] with the central difference of f in s[j]
// for each j in idx (every index when idx is nil), reports each mismatch
// past maxErr, and returns the worst error.
func checkFD(t *testing.T, what string, f func() float64, s, analytic []float64, idx []int) float64 {
	t.Helper()
	if idx == nil {
		idx = allIndices(len(s))
	}
	worst := 0.0
	for _, j := range idx {
		fd := centralDiff(f, s, j, fdStep)
		e := relErr(analytic[j], fd)
		if e > maxErr {
			t.Errorf("%s[%d]: analytic %.12g, finite difference %.12g (rel err %.2g)", what, j, analytic[j], fd, e)
		}
		worst = math.Max(worst, e)
	}
	return worst
}

func allIndices(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// sample returns k distinct indices of [0, n), always including 0 and n−1.
func sample(r *rand.Rand, n, k int) []int {
	if n <= k {
		return allIndices(n)
	}
	set := map[int]bool{0: true, n - 1: true}
	for len(set) < k {
		set[r.IntN(n)] = true
	}
	idx := make([]int, 0, k)
	for j := range set {
		idx = append(idx, j)
	}
	sort.Ints(idx)
	return idx
}

func uniform(r *rand.Rand, n int, lo, hi float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = lo + (hi-lo)*r.Float64()
	}
	return v
}

func randomBatch(r *rand.Rand, b, n int) [][]float64 {
	x := make([][]float64, b)
	for i := range x {
		x[i] = uniform(r, n, -1, 1)
	}
	return x
}

// worstTable collects the worst error per module or network.
type worstTable map[string]float64

func (w worstTable) note(name string, e float64) { w[name] = math.Max(w[name], e) }

func (w worstTable) String() string {
	names := make([]string, 0, len(w))
	for n := range w {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "\n  %-16s %.2e", n, w[n])
	}
	return b.String()
}
