package data

import (
	"fmt"
	"math/rand/v2"
)

// Last says what to do with the last, partial batch of an epoch, when the
// set's size is not a multiple of the batch size.
type Last int

const (
	// Drop skips it (the default): every batch has distinct examples, and
	// as each epoch reshuffles the set, different ones are left out.
	Drop Last = iota
	// Wrap completes it with the first examples of the same epoch's order,
	// so that every example is seen at least once per epoch and a few twice.
	Wrap
)

// Batches deals a Set out in mini-batches, reshuffled each epoch, into the
// caller's batch arrays: typically x[:] and y[:] of
// var x [BatchSize]Input and var y [BatchSize]Target, then passed as &x, &y
// to Step. It allocates nothing per batch.
//
//	for epoch := range epochs {
//		for batches.Next() {
//			loss := net.Step(&x, &y)
//		}
//	}
type Batches[X, Y any] struct {
	set   *Set[X, Y]
	x     []X
	y     []Y
	last  Last
	rng   *rand.Rand
	order []int
	pos   int // in order, of the next batch; -1 between epochs
}

// NewBatches returns batches of len(x) examples of s, shuffled by a PCG
// seeded with seed. It panics if len(x) is 0 or differs from len(y).
func NewBatches[X, Y any](s *Set[X, Y], x []X, y []Y, seed uint64, last Last) *Batches[X, Y] {
	if len(x) == 0 || len(x) != len(y) {
		panic(fmt.Sprintf("data: NewBatches: batches of %d inputs and %d targets", len(x), len(y)))
	}
	return &Batches[X, Y]{
		set: s, x: x, y: y, last: last,
		rng:   rand.New(rand.NewPCG(seed, batchStream)),
		order: make([]int, s.Len()),
		pos:   -1,
	}
}

// Next fills the batch arrays with the next batch and reports whether there
// was one; false ends the epoch, and the next call starts a new one with a
// new shuffle.
func (b *Batches[X, Y]) Next() bool {
	if b.pos < 0 {
		b.shuffle()
	}
	n, size := len(b.order), len(b.x)
	if b.pos >= n || (b.last == Drop && b.pos+size > n) {
		b.pos = -1
		return false
	}
	for i := range size {
		j := b.order[(b.pos+i)%n]
		b.x[i], b.y[i] = b.set.X[j], b.set.Y[j]
	}
	b.pos += size
	return true
}

// shuffle starts an epoch: the same permutation as b.rng.Perm, without
// allocating one.
func (b *Batches[X, Y]) shuffle() {
	for i := range b.order {
		b.order[i] = i
	}
	b.rng.Shuffle(len(b.order), func(i, j int) { b.order[i], b.order[j] = b.order[j], b.order[i] })
	b.pos = 0
}

// PerEpoch returns the number of batches in an epoch.
func (b *Batches[X, Y]) PerEpoch() int {
	n, size := len(b.order), len(b.x)
	if b.last == Wrap {
		return (n + size - 1) / size
	}
	return n / size
}
