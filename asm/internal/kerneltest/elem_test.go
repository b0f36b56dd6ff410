package kerneltest

import (
	"math/rand/v2"
	"testing"
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
	_, src := buffer[T](rng, e.n)
	c := T(0.375)
	want, src0 := append([]T(nil), d...), append([]T(nil), src...)
	e.generic(want, src, c)
	if equal(want, d) {
		t.Fatalf("%s: Generic changed nothing", e.name)
	}
	e.run(d, src, c)
	if !equal(d, want) {
		t.Fatalf("%s %s: differs from Generic", path, e.name)
	}
	if !equal(src, src0) {
		t.Fatalf("%s %s: modified src", path, e.name)
	}
	for i := range guard {
		if !isNaN(dAll[i]) || !isNaN(dAll[len(dAll)-1-i]) {
			t.Fatalf("%s %s: wrote outside dst (guard %d)", path, e.name, i)
		}
	}
}
