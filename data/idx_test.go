package data

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"testing"
)

// idx returns an IDX file of the given type code, dimensions and data.
func idx(typ byte, dims []uint32, data []byte) []byte {
	raw := []byte{0, 0, typ, byte(len(dims))}
	for _, n := range dims {
		raw = binary.BigEndian.AppendUint32(raw, n)
	}
	return append(raw, data...)
}

func TestParseIDX(t *testing.T) {
	f32 := binary.BigEndian.AppendUint32(nil, math.Float32bits(-1.5))
	f32 = binary.BigEndian.AppendUint32(f32, math.Float32bits(2))
	for _, c := range []struct {
		name  string
		file  []byte
		shape []int
		dtype DType
		want  []float64
	}{
		{"uint8", idx(0x08, []uint32{2, 3}, []byte{0, 1, 2, 3, 4, 255}), []int{2, 3}, Uint8, []float64{0, 1, 2, 3, 4, 255}},
		{"gzip", gz(idx(0x08, []uint32{2, 3}, []byte{0, 1, 2, 3, 4, 255})), []int{2, 3}, Uint8, []float64{0, 1, 2, 3, 4, 255}},
		{"int8", idx(0x09, []uint32{2}, []byte{0xff, 0x7f}), []int{2}, Int8, []float64{-1, 127}},
		{"int16", idx(0x0b, []uint32{1}, []byte{0xff, 0xfe}), []int{1}, Int16, []float64{-2}},
		{"int32", idx(0x0c, []uint32{1}, []byte{0, 1, 0, 0}), []int{1}, Int32, []float64{65536}},
		{"float32", idx(0x0d, []uint32{2}, f32), []int{2}, Float32, []float64{-1.5, 2}},
		{"float64", idx(0x0e, []uint32{1}, binary.BigEndian.AppendUint64(nil, math.Float64bits(0.1))), []int{1}, Float64, []float64{0.1}},
		{"empty", idx(0x08, []uint32{0, 28, 28}, nil), []int{0, 28, 28}, Uint8, []float64{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tensor, err := ParseIDX("f", c.file)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tensor.Shape, c.shape) || tensor.DType != c.dtype || !slices.Equal(values(tensor), c.want) {
				t.Errorf("got %v %v %v, want %v %v %v", tensor.Shape, tensor.DType, values(tensor), c.shape, c.dtype, c.want)
			}
		})
	}
}

// TestIDXErrors feeds ParseIDX malformed files: each must be refused with
// an error naming the file and the offset of the fault, never a panic.
func TestIDXErrors(t *testing.T) {
	good := idx(0x08, []uint32{2, 2}, []byte{1, 2, 3, 4})
	noisy := make([]byte, 4096) // so that the compressed stream is long
	for i := range noisy {
		noisy[i] = byte(i * i * 7919 >> 5)
	}
	halfStream := gz(idx(0x08, []uint32{4096}, noisy))
	halfStream = halfStream[:len(halfStream)/2]
	badCRC := gz(good)
	badCRC[len(badCRC)-8] ^= 1 // the trailer: CRC-32, then the size
	for _, c := range []errorCase{
		{"empty", nil, 0, 0, "file ends in the magic number (0 of 4 bytes)"},
		{"ends in magic", []byte{0, 0, 8}, 0, 3, "file ends in the magic number"},
		{"not IDX", []byte("hello, world"), 0, 0, "magic number 0x68656c6c is not IDX's"},
		{"unknown type", idx(0x0a, []uint32{1}, []byte{1}), 0, 0, "magic number 0x00000a01"},
		{"no dimensions", []byte{0, 0, 8, 0, 1}, 0, 3, "no dimensions"},
		{"ends in header", []byte{0, 0, 8, 3, 0, 0, 0, 2, 0, 0}, 0, 10, "file ends in the header (3 dimensions declared)"},
		{"ends in data", idx(0x08, []uint32{2, 2}, []byte{1, 2, 3}), 0, 15, "file ends in the data: the header declares 2x2 uint8, 3 bytes are left"},
		{"short float data", idx(0x0d, []uint32{2}, make([]byte, 7)), 0, 15, "declares 2 float32, 7 bytes are left"},
		{"huge dimensions", idx(0x0e, []uint32{0xffffffff, 0xffffffff, 0xffffffff}, nil), 0, 16, "declares 4294967295x4294967295x4294967295 float64"},
		{"trailing data", append(bytes.Clone(good), 0), 0, 16, "data goes on after the 2x2 uint8"},
		{"trailing data, gzip", gz(append(bytes.Clone(good), 0, 0)), 0, 16, "data goes on after"},
		{"gzip stream cut", halfStream, 0, -1, "the gzip stream is cut short"},
		{"gzip size cut", gz(good)[:len(gz(good))-4], 0, 16, "the gzip stream is cut short after 16 bytes"},
		{"bad CRC", badCRC, 0, 16, "gzip: invalid checksum"},
		{"bad gzip header", []byte{0x1f, 0x8b, 9, 9}, 0, 0, "bad gzip header"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseIDX("f", c.input)
			checkError(t, c, err)
		})
	}
}

// FuzzIDX checks that no file, however malformed, makes the reader or the
// conversion to a Set panic, and that what is accepted is consistent.
func FuzzIDX(f *testing.F) {
	f.Add(idx(0x08, []uint32{2, 2}, []byte{1, 2, 3, 4}))
	f.Add(gz(idx(0x08, []uint32{2, 2}, []byte{1, 2, 3, 4})))
	f.Add(idx(0x0d, []uint32{1, 4}, make([]byte, 16)))
	f.Add(idx(0x0e, []uint32{1, 2, 2}, make([]byte, 32)))
	f.Add(idx(0x0c, []uint32{3}, make([]byte, 12)))
	f.Fuzz(func(t *testing.T, b []byte) {
		tensor, err := ParseIDX("f", b)
		if err != nil {
			return
		}
		n := 1
		for _, d := range tensor.Shape {
			n *= d
		}
		if n != tensor.Len() {
			t.Fatalf("shape %v, %d elements", tensor.Shape, tensor.Len())
		}
		fuzzSet(tensor)
	})
}

// fuzzSet converts an accepted tensor to sets of a few types: errors are
// fine, panics are not.
func fuzzSet(x *Tensor) {
	NewSet[[4]float32, [4]float64](x, x, Options{})
	NewSet[[2][2]int32, [4]int64](x, x, Options{Classes: 3})
	NewSet[float32, int32](x, x, Options{Scale: 1e300, Classes: 10})
}
