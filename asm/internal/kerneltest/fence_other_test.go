//go:build !linux

package kerneltest

import (
	"math/rand/v2"
	"testing"
)

// fenced returns n random elements as buffer does: only Linux builds the
// inaccessible page after them (fence_linux_test.go).
func fenced[T float32 | float64](t testing.TB, rng *rand.Rand, n int) ([]T, func()) {
	_, in := buffer[T](rng, n)
	return in, func() {}
}
