package kerneltest

import (
	"math/rand/v2"
	"testing"
)

func TestUpdates32(t *testing.T) { updateConformance(t, updates32) }
func TestUpdates64(t *testing.T) { updateConformance(t, updates64) }

// updateConformance runs every update on every path against Generic: the
// kernels multiply and add separately, so the results must be bit-identical.
func updateConformance[T float32 | float64](t *testing.T, us []update[T]) {
	defer SetKernels("auto")
	if len(us) == 0 {
		t.Fatal("no updates generated")
	}
	for _, p := range allPaths {
		if err := SetKernels(p); err != nil {
			t.Logf("path %s not run: %v", p, err)
			continue
		}
		for _, u := range us {
			checkUpdate(t, p, u)
		}
	}
}

func checkUpdate[T float32 | float64](t *testing.T, path string, u update[T]) {
	rng := rand.New(rand.NewPCG(uint64(u.n), 11))
	pAll, p := buffer[T](rng, u.n)
	vAll, v := buffer[T](rng, u.n)
	_, g := buffer[T](rng, u.n)
	lr, mu := T(0.0123), T(0.9)
	wantP, wantV := append([]T(nil), p...), append([]T(nil), v...)
	g0 := append([]T(nil), g...)
	u.generic(wantP, wantV, g, lr, mu)
	if equal(wantP, p) {
		t.Fatalf("%s: Generic changed nothing", u.name)
	}
	for step := 0; step < 2; step++ { // twice: the velocity feeds back
		if step == 1 {
			u.generic(wantP, wantV, g, lr, mu)
		}
		u.run(p, v, g, lr, mu)
		if !equal(p, wantP) || !equal(v, wantV) {
			t.Fatalf("%s %s step %d: p or v differs from Generic", path, u.name, step)
		}
	}
	if !equal(g, g0) {
		t.Fatalf("%s %s: modified g", path, u.name)
	}
	for i := range guard {
		for _, all := range [][]T{pAll, vAll} {
			if !isNaN(all[i]) || !isNaN(all[len(all)-1-i]) {
				t.Fatalf("%s %s: wrote outside p or v (guard %d)", path, u.name, i)
			}
		}
	}
}
