package data

import (
	"fmt"
	"reflect"
	"unsafe"
)

// Float is the element type of a generated package.
type Float interface{ ~float32 | ~float64 }

// MeanLoss returns the mean loss of the examples of s: loss is a generated
// package's Loss (or any function of a batch, BX = [B]X and BY = [B]Y,
// returning the mean of its examples' losses). Every example counts once,
// those of the last partial batch included: that batch is completed with
// copies of its first example, whose own loss, from a batch of copies of
// it, is then taken out. This is exact because an nngen network's loss is
// a mean of per-example losses that do not depend on the other examples of
// the batch (no layer uses batch statistics).
func MeanLoss[X, Y, BX, BY any, T Float](s *Set[X, Y], loss func(x *BX, y *BY) T) (float64, error) {
	size, err := batchLen[X, BX]()
	if err != nil {
		return 0, err
	}
	if ySize, err := batchLen[Y, BY](); err != nil || ySize != size {
		return 0, fmt.Errorf("data: MeanLoss: loss takes batches of %v and %v: not as many targets as inputs", reflect.TypeFor[BX](), reflect.TypeFor[BY]())
	}
	n := s.Len()
	if n == 0 {
		return 0, fmt.Errorf("data: MeanLoss: no examples")
	}
	bx, by := new(BX), new(BY)
	xs, ys := unsafe.Slice((*X)(unsafe.Pointer(bx)), size), unsafe.Slice((*Y)(unsafe.Pointer(by)), size)
	var sum float64
	full := n - n%size
	for i := 0; i < full; i += size {
		copy(xs, s.X[i:i+size])
		copy(ys, s.Y[i:i+size])
		sum += float64(loss(bx, by)) * float64(size)
	}
	if r := n - full; r > 0 {
		copy(xs, s.X[full:])
		copy(ys, s.Y[full:])
		fillWith(xs[r:], ys[r:], s.X[full], s.Y[full])
		mixed := float64(loss(bx, by))
		fillWith(xs[:r], ys[:r], s.X[full], s.Y[full])
		alone := float64(loss(bx, by))
		sum += mixed*float64(size) - alone*float64(size-r)
	}
	return sum / float64(n), nil
}

// fillWith sets every element of xs and ys to x and y.
func fillWith[X, Y any](xs []X, ys []Y, x X, y Y) {
	for i := range xs {
		xs[i], ys[i] = x, y
	}
}

// batchLen returns B if BX is [B]X, and an error otherwise.
func batchLen[X, BX any]() (int, error) {
	bt, xt := reflect.TypeFor[BX](), reflect.TypeFor[X]()
	if bt.Kind() != reflect.Array || bt.Elem() != xt || bt.Len() == 0 {
		return 0, fmt.Errorf("data: MeanLoss: loss takes a batch of %v, not an array of %v", bt, xt)
	}
	return bt.Len(), nil
}
