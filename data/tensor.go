package data

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"
)

// DType is the element type of a Tensor as its file stores it.
type DType uint8

const (
	Uint8 DType = iota + 1
	Int8
	Int16
	Int32
	Int64
	Float32
	Float64
)

var dtypeNames = [...]string{Uint8: "uint8", Int8: "int8", Int16: "int16", Int32: "int32", Int64: "int64", Float32: "float32", Float64: "float64"}

var dtypeSizes = [...]int{Uint8: 1, Int8: 1, Int16: 2, Int32: 4, Int64: 8, Float32: 4, Float64: 8}

func (d DType) String() string {
	if int(d) < len(dtypeNames) && dtypeNames[d] != "" {
		return dtypeNames[d]
	}
	return "DType(" + strconv.Itoa(int(d)) + ")"
}

// Size is the number of bytes of one element.
func (d DType) Size() int { return dtypeSizes[d] }

// Tensor is the array of numbers a file holds, row-major, with its shape and
// where each number lies in the file. Its first dimension counts examples:
// row i is example i.
type Tensor struct {
	File  string
	Shape []int
	DType DType

	// Binary formats keep the file's bytes; text formats the parsed values.
	text    bool
	raw     []byte
	order   binary.ByteOrder
	start   int64 // offset of raw[0] in the file
	shapeAt int64 // offset of the shape in the header, for size errors
	values  []float64
	lines   []int // text formats: the line of each row
}

// Len returns the number of elements.
func (t *Tensor) Len() int {
	if t.text {
		return len(t.values)
	}
	return len(t.raw) / t.DType.Size()
}

// Rows returns the length of the first dimension: the number of examples.
func (t *Tensor) Rows() int {
	if len(t.Shape) == 0 {
		return 1
	}
	return t.Shape[0]
}

// RowLen returns the number of elements of one row.
func (t *Tensor) RowLen() int {
	n := 1
	for _, d := range t.Shape[min(1, len(t.Shape)):] {
		n *= d
	}
	return n
}

// Value returns element i, in row-major order.
func (t *Tensor) Value(i int) float64 {
	var v [1]float64
	t.decode(i, v[:])
	return v[0]
}

// decode writes the elements from i on into dst, one per element of dst.
func (t *Tensor) decode(i int, dst []float64) {
	if t.text {
		copy(dst, t.values[i:])
		return
	}
	b := t.raw[i*t.DType.Size():]
	switch t.DType {
	case Uint8:
		for j := range dst {
			dst[j] = float64(b[j])
		}
	case Int8:
		for j := range dst {
			dst[j] = float64(int8(b[j]))
		}
	case Int16:
		for j := range dst {
			dst[j] = float64(int16(t.order.Uint16(b[2*j:])))
		}
	case Int32:
		for j := range dst {
			dst[j] = float64(int32(t.order.Uint32(b[4*j:])))
		}
	case Int64:
		for j := range dst {
			dst[j] = float64(int64(t.order.Uint64(b[8*j:])))
		}
	case Float32:
		for j := range dst {
			dst[j] = float64(math.Float32frombits(t.order.Uint32(b[4*j:])))
		}
	case Float64:
		for j := range dst {
			dst[j] = math.Float64frombits(t.order.Uint64(b[8*j:]))
		}
	}
}

// errorAt returns an *Error at element i: its line or its byte offset.
func (t *Tensor) errorAt(i int, format string, args ...any) *Error {
	if t.text {
		return lineError(t.File, t.lines[i/max(1, t.RowLen())], format, args...)
	}
	return offsetError(t.File, t.start+int64(i*t.DType.Size()), format, args...)
}

// shapeError returns an *Error about the shape: at the shape in a binary
// file's header, on the first row of a text file.
func (t *Tensor) shapeError(format string, args ...any) *Error {
	if t.text {
		line := 1
		if len(t.lines) > 0 {
			line = t.lines[0]
		}
		return lineError(t.File, line, format, args...)
	}
	return offsetError(t.File, t.shapeAt, format, args...)
}

// shapeString formats a shape as 60000x28x28 (a scalar as "scalar").
func shapeString(shape []int) string {
	if len(shape) == 0 {
		return "scalar"
	}
	s := make([]string, len(shape))
	for i, n := range shape {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, "x")
}
