package data

// This file sees a generated package's Input, Target and Output types as
// flat runs of scalars: it checks a type once by reflection, then reads and
// writes values through unsafe slices of the scalar type. A Go array, however
// nested, is its elements back to back, so [1][8][8]float32 is 64 float32s.

import (
	"fmt"
	"math"
	"reflect"
	"unsafe"
)

// layout is a type seen as n scalars of one kind.
type layout struct {
	typ  reflect.Type
	n    int
	kind reflect.Kind // Float32, Float64, Int32 or Int64
}

// layoutOf checks that E is a scalar or a (nested) array of scalars of a
// supported kind.
func layoutOf[E any]() (layout, error) {
	typ := reflect.TypeFor[E]()
	l := layout{typ: typ, n: 1}
	for typ.Kind() == reflect.Array {
		l.n *= typ.Len()
		typ = typ.Elem()
	}
	switch l.kind = typ.Kind(); l.kind {
	case reflect.Float32, reflect.Float64, reflect.Int32, reflect.Int64:
		return l, nil
	}
	return l, fmt.Errorf("data: type %v is not a number or an array of float32, float64, int32 or int64", l.typ)
}

// isFloat reports whether the scalars are floating-point.
func (l layout) isFloat() bool { return l.kind == reflect.Float32 || l.kind == reflect.Float64 }

// check returns why v cannot be stored in a scalar of the layout, or "".
func (l layout) check(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprintf("%v is not a finite number", v)
	}
	switch l.kind {
	case reflect.Float32:
		if math.Abs(v) > math.MaxFloat32 {
			return fmt.Sprintf("%v overflows float32", v)
		}
	case reflect.Int32:
		if v != math.Trunc(v) || v < math.MinInt32 || v > math.MaxInt32 {
			return fmt.Sprintf("%v is not an int32", v)
		}
	case reflect.Int64:
		if v != math.Trunc(v) || v < -(1<<63) || v >= 1<<63 {
			return fmt.Sprintf("%v is not an int64", v)
		}
	}
	return ""
}

// set stores src, already checked, into the n scalars at p.
func (l layout) set(p unsafe.Pointer, src []float64) {
	switch l.kind {
	case reflect.Float32:
		s := unsafe.Slice((*float32)(p), l.n)
		for i := range s {
			s[i] = float32(src[i])
		}
	case reflect.Float64:
		copy(unsafe.Slice((*float64)(p), l.n), src)
	case reflect.Int32:
		s := unsafe.Slice((*int32)(p), l.n)
		for i := range s {
			s[i] = int32(src[i])
		}
	case reflect.Int64:
		s := unsafe.Slice((*int64)(p), l.n)
		for i := range s {
			s[i] = int64(src[i])
		}
	}
}

// get reads the n scalars at p into dst.
func (l layout) get(p unsafe.Pointer, dst []float64) {
	switch l.kind {
	case reflect.Float32:
		for i, v := range unsafe.Slice((*float32)(p), l.n) {
			dst[i] = float64(v)
		}
	case reflect.Float64:
		copy(dst, unsafe.Slice((*float64)(p), l.n))
	case reflect.Int32:
		for i, v := range unsafe.Slice((*int32)(p), l.n) {
			dst[i] = float64(v)
		}
	case reflect.Int64:
		for i, v := range unsafe.Slice((*int64)(p), l.n) {
			dst[i] = float64(v)
		}
	}
}
