package gen

import "github.com/dave/jennifer/jen"

// cacheLine is the alignment of the buffers the kernels read and write.
// A vector load at an address that is not a multiple of it straddles two
// cache lines and costs two loads: with the batch input 16 bytes off a
// line (it followed the gradient's Params), mnist's first dense layer ran
// ForwardBatch 11% slower. Go cannot align a field, so the generated
// structs place every buffer at a multiple of cacheLine from their start
// with blank pads, and the structs start on a line in Go's allocator
// (headerPads; the workspaces of a Worker and of a thread are allocations
// of their own, without pointers).
const cacheLine = 64

// field is one field of a generated struct and its size in bytes.
type field struct {
	code  jen.Code
	bytes int
}

// lineFields lays fs out so that every field begins a multiple of
// cacheLine bytes from the struct's start and the struct ends on one,
// adding a blank byte array where a field's size leaves a gap.
func lineFields(fs []field) []jen.Code {
	var out []jen.Code
	for _, f := range fs {
		out = append(out, f.code)
		if pad := padding(f.bytes); pad > 0 {
			out = append(out, jen.Id("_").Index(jen.Lit(pad)).Byte())
		}
	}
	return out
}

// padding is the number of bytes that carry n up to a multiple of cacheLine.
func padding(n int) int { return (cacheLine - n%cacheLine) % cacheLine }

// lined is the size of a struct lineFields laid out.
func lined(fs []field) int {
	n := 0
	for _, f := range fs {
		n += f.bytes + padding(f.bytes)
	}
	return n
}

// esize is the size of T in bytes.
func (e *emitter) esize() int { return e.m.DType.Size() }

// paramsBytes is the size of Params: nothing but T, in declaration order.
func (e *emitter) paramsBytes() int {
	n := 0
	for _, p := range e.m.Params {
		n += p.Shape.Size()
	}
	return n * e.esize()
}

// alignDoc is the generated structs' note on their blank fields.
const alignDoc = "Blank fields pad each buffer to a 64-byte cache line, so that vector loads do not straddle two."

// smallField is a field after the lined ones, with its size and
// alignment on amd64.
type smallField struct {
	code         jen.Code
	bytes, align int
}

// What Go's allocator does with an object (runtime/malloc.go, Go 1.22 on):
// one with pointers of more than mallocHeaderMin bytes, up to
// mallocSmallMax less the header, starts mallocHeader bytes into its slot.
const (
	mallocHeader    = 8
	mallocHeaderMin = 512
	mallocSmallMax  = 32 << 10
)

// headerPads are the pads that put a struct's lined fields on a cache line
// in Go's allocator (on amd64, where the kernels run): lined bytes of
// them, then the small fields. An object with pointers over 512 bytes and
// up to 32 KiB − 8 begins 8 bytes into its slot, behind a type header, so
// lead bytes before the fields carry them to the slot's next line; one of
// 512 bytes or less has no header, and tail bytes after the fields make
// its size, and so its size class, a multiple of 64. A Model, which holds
// pointers, takes both; TestCacheLines checks the addresses.
func headerPads(lined int, small []smallField) (lead, tail int) {
	size := lined
	for _, f := range small {
		size = (size+f.align-1)/f.align*f.align + f.bytes
	}
	size = (size + 7) / 8 * 8
	lead = cacheLine - mallocHeader
	switch {
	case size+lead > mallocHeaderMin && size+lead <= mallocSmallMax-mallocHeader:
		return lead, 0
	case size <= mallocHeaderMin:
		return 0, padding(size)
	}
	return 0, 0
}
