//go:build linux

package kerneltest

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"unsafe"
)

// fenced returns n random elements (those buffer would give) that end where
// an inaccessible page begins, and a function that unmaps them. A kernel
// reading past the end of an input then faults, where on the heap it would
// read whatever follows, which the NaN guards catch only when the value
// read reaches an output. Before them, as in buffer, NaN guard elements.
func fenced[T float32 | float64](t testing.TB, rng *rand.Rand, n int) ([]T, func()) {
	all, in := buffer[T](rng, n)
	size := n * int(unsafe.Sizeof(in[0]))
	page := syscall.Getpagesize()
	data := (size + page - 1) / page * page
	if data-size < guard*int(unsafe.Sizeof(in[0])) {
		data += page // room for the leading guard
	}
	mem, err := syscall.Mmap(-1, 0, data+page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mprotect(mem[data:], syscall.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	v := unsafe.Slice((*T)(unsafe.Pointer(&mem[data-size-guard*int(unsafe.Sizeof(in[0]))])), guard+n)
	copy(v, all[:guard+n])
	v = v[guard:]
	return v, func() { syscall.Munmap(mem) }
}
