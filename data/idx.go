package data

// This file reads IDX, the format of the MNIST files: two zero bytes, a
// type code, the number of dimensions, one big-endian uint32 per dimension,
// then the elements, big-endian, row-major, and nothing after them.

import (
	"encoding/binary"
	"os"
)

// idxTypes maps IDX type codes to element types.
var idxTypes = map[byte]DType{0x08: Uint8, 0x09: Int8, 0x0b: Int16, 0x0c: Int32, 0x0d: Float32, 0x0e: Float64}

// ReadIDX reads an IDX file, gzip-compressed or not.
func ReadIDX(path string) (*Tensor, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseIDX(path, b)
}

// ParseIDX decodes the contents of an IDX file, gzip-compressed or not;
// name is the file's name for errors.
func ParseIDX(name string, b []byte) (*Tensor, error) {
	b, err := gunzip(name, b)
	if err != nil {
		return nil, err
	}
	if len(b) < 4 {
		return nil, offsetError(name, int64(len(b)), "file ends in the magic number (%d of 4 bytes)", len(b))
	}
	dtype, ok := idxTypes[b[2]]
	if b[0] != 0 || b[1] != 0 || !ok {
		return nil, offsetError(name, 0, "magic number 0x%08x is not IDX's: want 0x0000TTNN, TT 08 (uint8), 09 (int8), 0b (int16), 0c (int32), 0d (float32) or 0e (float64)", binary.BigEndian.Uint32(b))
	}
	ndim := int(b[3])
	if ndim == 0 {
		return nil, offsetError(name, 3, "no dimensions")
	}
	t := &Tensor{File: name, DType: dtype, order: binary.BigEndian, shapeAt: 4, start: int64(4 + 4*ndim)}
	if len(b) < int(t.start) {
		return nil, offsetError(name, int64(len(b)), "file ends in the header (%d dimensions declared)", ndim)
	}
	t.Shape = make([]int, ndim)
	for i := range t.Shape {
		t.Shape[i] = int(binary.BigEndian.Uint32(b[4+4*i:]))
	}
	size, ok := byteSize(t.Shape, dtype, len(b)-int(t.start))
	switch {
	case !ok:
		return nil, offsetError(name, int64(len(b)), "file ends in the data: the header declares %s %s, %d bytes are left", shapeString(t.Shape), dtype, len(b)-int(t.start))
	case int(t.start)+size < len(b):
		return nil, offsetError(name, t.start+int64(size), "data goes on after the %s %s the header declares", shapeString(t.Shape), dtype)
	}
	t.raw = b[t.start:]
	return t, nil
}

// byteSize returns the number of bytes of a tensor of that shape and type,
// and whether it is at most limit; it cannot overflow.
func byteSize(shape []int, dtype DType, limit int) (int, bool) {
	size := dtype.Size()
	for _, n := range shape {
		if n == 0 {
			return 0, true
		}
	}
	for _, n := range shape {
		if n < 0 || n > limit/size {
			return 0, false
		}
		size *= n
	}
	return size, size <= limit
}
