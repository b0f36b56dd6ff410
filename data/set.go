package data

import (
	"fmt"
	"math"
	"math/rand/v2"
	"unsafe"
)

// Set is a list of examples: inputs X[i] with their targets Y[i].
type Set[X, Y any] struct {
	X []X
	Y []Y
}

// Len returns the number of examples.
func (s *Set[X, Y]) Len() int { return len(s.X) }

// Options say how NewSet converts values.
type Options struct {
	// Scale multiplies every input value before it is stored (0 means 1):
	// 1.0/255 maps grey levels to [0, 1].
	Scale float64
	// Classes, when positive, requires every target to be an integer in
	// [0, Classes): the class indices a crossentropy loss takes (whose
	// generated Step panics on others).
	Classes int
}

// NewSet converts the rows of x to inputs X and those of y to targets Y. X
// and Y are a generated package's Input and Target (or Output): a number or
// an array, however nested, of float32, float64, int32 or int64, whose
// number of elements must be that of a row. Every value must fit its
// element type (an integer type takes integers only; NaN and infinities are
// refused). Errors name the file and the position of the fault.
func NewSet[X, Y any](x, y *Tensor, opt Options) (*Set[X, Y], error) {
	xl, err := layoutOf[X]()
	if err != nil {
		return nil, err
	}
	yl, err := layoutOf[Y]()
	if err != nil {
		return nil, err
	}
	if err := checkRows(x, y, xl, yl); err != nil {
		return nil, err
	}
	s := &Set[X, Y]{X: make([]X, x.Rows()), Y: make([]Y, y.Rows())}
	scale := opt.Scale
	if scale == 0 {
		scale = 1
	}
	if err := convertRows(x, xl, unsafe.Pointer(unsafe.SliceData(s.X)), scale, 0); err != nil {
		return nil, err
	}
	if err := convertRows(y, yl, unsafe.Pointer(unsafe.SliceData(s.Y)), 1, opt.Classes); err != nil {
		return nil, err
	}
	return s, nil
}

// checkRows checks that x and y have as many rows, and rows of the size of
// their types.
func checkRows(x, y *Tensor, xl, yl layout) error {
	for _, c := range []struct {
		t *Tensor
		l layout
	}{{x, xl}, {y, yl}} {
		if len(c.t.Shape) == 0 {
			return c.t.shapeError("a single number (a scalar), not a list of examples")
		}
		if c.t.RowLen() != c.l.n {
			return c.t.shapeError("shape %s: rows of %d values, but %v holds %d", shapeString(c.t.Shape), c.t.RowLen(), c.l.typ, c.l.n)
		}
	}
	switch {
	case x.Rows() == 0:
		return x.shapeError("no examples")
	case x.Rows() != y.Rows():
		return y.shapeError("%d rows, but %s has %d", y.Rows(), x.File, x.Rows())
	}
	return nil
}

// convertRows converts every row of t into the array of elements at dst,
// scaling them, and checks that each value fits (and, when classes > 0, is
// a class index).
func convertRows(t *Tensor, l layout, dst unsafe.Pointer, scale float64, classes int) error {
	convert := func(v float64) (float64, string) {
		v *= scale
		if why := l.check(v); why != "" {
			return v, why
		}
		if classes > 0 && (v != math.Trunc(v) || v < 0 || v >= float64(classes)) {
			return v, fmt.Sprintf("label %v is not a class in [0, %d)", v, classes)
		}
		return v, ""
	}
	if t.DType == Uint8 && !t.text {
		return convertBytes(t, l, dst, convert)
	}
	row := make([]float64, l.n)
	size := l.typ.Size()
	for i := range t.Rows() {
		t.decode(i*l.n, row)
		for j, v := range row {
			var why string
			if row[j], why = convert(v); why != "" {
				return t.errorAt(i*l.n+j, "%s (row %d)", why, i)
			}
		}
		l.set(unsafe.Add(dst, uintptr(i)*size), row)
	}
	return nil
}

// convertBytes is convertRows for bytes (images, mostly): each of the 256
// values is converted and checked once.
func convertBytes(t *Tensor, l layout, dst unsafe.Pointer, convert func(float64) (float64, string)) error {
	var table [256]float64
	var why [256]string
	for b := range table {
		table[b], why[b] = convert(float64(b))
	}
	row := make([]float64, l.n)
	size := l.typ.Size()
	for i := range t.Rows() {
		for j, b := range t.raw[i*l.n : (i+1)*l.n] {
			if why[b] != "" {
				return t.errorAt(i*l.n+j, "%s (row %d)", why[b], i)
			}
			row[j] = table[b]
		}
		l.set(unsafe.Add(dst, uintptr(i)*size), row)
	}
	return nil
}

// Split shuffles s with a PCG seeded with seed and returns two new sets: the
// first examples for training, and the last testFraction of them (rounded
// down) for testing. It panics if testFraction is outside [0, 1].
func (s *Set[X, Y]) Split(testFraction float64, seed uint64) (train, test *Set[X, Y]) {
	if !(testFraction >= 0 && testFraction <= 1) {
		panic(fmt.Sprintf("data: Split: testFraction %v is outside [0, 1]", testFraction))
	}
	order := rand.New(rand.NewPCG(seed, splitStream)).Perm(s.Len())
	cut := s.Len() - int(float64(s.Len())*testFraction)
	return s.Subset(order[:cut]), s.Subset(order[cut:])
}

// PCG streams, so that one seed gives independent splits and batch orders.
const (
	splitStream = iota
	batchStream
)

// Subset returns a new set of the examples at the given indices, in that order.
func (s *Set[X, Y]) Subset(indices []int) *Set[X, Y] {
	sub := &Set[X, Y]{X: make([]X, len(indices)), Y: make([]Y, len(indices))}
	for k, i := range indices {
		sub.X[k], sub.Y[k] = s.X[i], s.Y[i]
	}
	return sub
}
