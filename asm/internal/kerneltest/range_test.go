package kerneltest

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestRange: a range kernel runs its row on every row of its slices and
// on nothing past them, on every path (rangeRows), and its dispatcher
// refuses slices the assembly would read past (rangeShort).
func TestRange(t *testing.T) {
	defer SetKernels("auto")
	for _, p := range allPaths {
		if SetKernels(p) != nil {
			continue
		}
		for _, e := range elems32 {
			rangeRows(t, p, e)
			rangeShort(t, p, e)
		}
		for _, e := range elems64 {
			rangeRows(t, p, e)
			rangeShort(t, p, e)
		}
	}
}

// rangeRows: none, one, and two rows, within longer buffers, against
// Generic.
func rangeRows[T float32 | float64](t *testing.T, path string, e elem[T]) {
	if e.row == 0 {
		return
	}
	n := e.row
	for _, m := range []int{0, n, 2 * n} {
		rng := rand.New(rand.NewPCG(uint64(m), 5))
		_, d := buffer[T](rng, 3*n)
		_, src := buffer[T](rng, 3*n)
		_, g := buffer[T](rng, 3*n)
		c := T(elemC)
		want, wantG := append([]T(nil), d...), append([]T(nil), g...)
		e.generic(want[:m], src, wantG[:m], c)
		e.run(d[:m], src, g[:m], c)
		if !sameBits(d, want) || !sameBits(g, wantG) { // the third row too: untouched by both
			t.Fatalf("%s %s on %d rows: differs from Generic", path, e.name, m/n)
		}
	}
}

// rangeShort: the dispatcher panics when the first slice holds part of a
// row or any other slice fewer elements.
func rangeShort[T float32 | float64](t *testing.T, path string, e elem[T]) {
	if e.row == 0 {
		return
	}
	n := e.row
	full := func() (d, src, g []T) { return make([]T, 2*n), make([]T, 2*n), make([]T, 2*n) }
	short := func(what string, run func()) {
		t.Helper()
		defer func() {
			if r := recover(); r == nil || !strings.Contains(r.(string), "not whole rows") {
				t.Errorf("%s %s: %s gave %v, not the dispatcher's panic", path, e.name, what, r)
			}
		}()
		run()
	}
	c := T(elemC)
	// src is a row slice but for addRowRelu (b, the fixed row); g is a
	// row slice of every kernel with three slices (an input, or a).
	if !strings.HasPrefix(e.name, "addRowRelu") {
		d, src, g := full()
		short("a short src", func() { e.run(d, src[:n], g, c) })
	}
	if e.gIn || strings.HasPrefix(e.name, "addRowRelu") {
		d, src, g := full()
		short("a short g", func() { e.run(d, src, g[:n], c) })
	}
	if n > 1 {
		d, src, g := full()
		short("part of a row", func() { e.run(d[:n+1], src, g, c) })
	}
}
