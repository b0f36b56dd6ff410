package data

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// counting returns a set of n examples whose input and target are their index.
func counting(n int) *Set[[1]float32, int32] {
	s := &Set[[1]float32, int32]{X: make([][1]float32, n), Y: make([]int32, n)}
	for i := range n {
		s.X[i], s.Y[i] = [1]float32{float32(i)}, int32(i)
	}
	return s
}

// epoch runs Next to the end of an epoch and returns the targets dealt, batch by batch.
func epoch(b *Batches[[1]float32, int32], x [][1]float32, y []int32) [][]int32 {
	var batches [][]int32
	for b.Next() {
		for i := range x {
			if x[i][0] != float32(y[i]) {
				panic("input and target of different examples")
			}
		}
		batches = append(batches, slices.Clone(y))
	}
	return batches
}

func TestBatchesDrop(t *testing.T) {
	const n, size, seed = 10, 4, 7
	x, y := make([][1]float32, size), make([]int32, size)
	b := NewBatches(counting(n), x, y, seed, Drop)
	if b.PerEpoch() != 2 {
		t.Errorf("PerEpoch %d, want 2", b.PerEpoch())
	}
	rng := rand.New(rand.NewPCG(seed, batchStream))
	var orders [][]int32
	for e := range 3 {
		got := epoch(b, x, y)
		if len(got) != 2 {
			t.Fatalf("epoch %d: %d batches, want 2 (the partial one dropped)", e, len(got))
		}
		// The order is rand.Perm's, so that the examples' results did not move.
		var want []int32
		for _, i := range rng.Perm(n)[:8] {
			want = append(want, int32(i))
		}
		if order := slices.Concat(got...); !slices.Equal(order, want) {
			t.Errorf("epoch %d: order %v, want %v", e, order, want)
		}
		orders = append(orders, slices.Concat(got...))
	}
	if slices.Equal(orders[0], orders[1]) {
		t.Error("the second epoch has the order of the first")
	}
}

func TestBatchesWrap(t *testing.T) {
	for _, c := range []struct{ n, size, batches int }{{10, 4, 3}, {8, 4, 2}, {3, 4, 1}, {1, 5, 1}, {9, 1, 9}} {
		x, y := make([][1]float32, c.size), make([]int32, c.size)
		b := NewBatches(counting(c.n), x, y, 1, Wrap)
		if b.PerEpoch() != c.batches {
			t.Errorf("n %d, size %d: PerEpoch %d, want %d", c.n, c.size, b.PerEpoch(), c.batches)
		}
		for e := range 2 {
			got := epoch(b, x, y)
			order := slices.Concat(got...)
			if len(got) != c.batches {
				t.Fatalf("n %d, size %d, epoch %d: %d batches, want %d", c.n, c.size, e, len(got), c.batches)
			}
			// Every example once, then the first ones of the epoch again.
			for i, v := range order {
				if v != order[i%c.n] {
					t.Errorf("n %d, size %d: order %v does not wrap around", c.n, c.size, order)
					break
				}
			}
			if seen := slices.Sorted(slices.Values(order[:c.n])); !slices.Equal(seen, counting(c.n).Y) {
				t.Errorf("n %d, size %d: the epoch %v does not hold every example", c.n, c.size, order)
			}
		}
	}
}

func TestBatchesEmpty(t *testing.T) {
	x, y := make([][1]float32, 2), make([]int32, 2)
	for _, last := range []Last{Drop, Wrap} {
		b := NewBatches(counting(0), x, y, 1, last)
		if b.Next() || b.Next() || b.PerEpoch() != 0 {
			t.Errorf("Last %d: batches from an empty set", last)
		}
	}
}

// TestBatchesAllocs checks that batches, new epochs included, allocate nothing.
func TestBatchesAllocs(t *testing.T) {
	x, y := make([][1]float32, 32), make([]int32, 32)
	b := NewBatches(counting(1000), x, y, 1, Wrap)
	if n := testing.AllocsPerRun(10, func() {
		for b.Next() {
		}
	}); n != 0 {
		t.Errorf("%v allocations per epoch, want 0", n)
	}
}

func TestBatchesMismatch(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for 4 inputs and 3 targets")
		}
	}()
	NewBatches(counting(10), make([][1]float32, 4), make([]int32, 3), 1, Drop)
}
