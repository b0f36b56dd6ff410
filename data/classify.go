package data

import (
	"fmt"
	"strings"
	"unsafe"
)

// Label is the type of a classifier's target: a class index (crossentropy's
// int32), or 0 or 1 as a float (logistic's).
type Label interface {
	~int32 | ~int64 | ~float32 | ~float64
}

// Confusion counts a classifier's predictions on a set.
type Confusion struct {
	Counts [][]int // Counts[t][p]: examples of class t predicted as class p
}

// Classify runs forward (a generated package's ForwardN) over the inputs of
// s and counts its predictions against the targets. O is the network's
// Output, an array of K float32 or float64: the predicted class is the
// largest of K logits (the first on ties), or for K = 1 (logistic) class 1
// when the logit is positive and 0 otherwise.
func Classify[X any, Y Label, O any](s *Set[X, Y], forward func(x []X, out []O)) (*Confusion, error) {
	ol, err := layoutOf[O]()
	if err != nil || !ol.isFloat() {
		return nil, fmt.Errorf("data: Classify: output type %v is not an array of float32 or float64", ol.typ)
	}
	classes := max(2, ol.n)
	out := make([]O, s.Len())
	forward(s.X, out)
	c := &Confusion{Counts: make([][]int, classes)}
	for t := range c.Counts {
		c.Counts[t] = make([]int, classes)
	}
	logits := make([]float64, ol.n)
	for i, y := range s.Y {
		t := int(y)
		if float64(t) != float64(y) || t < 0 || t >= classes {
			return nil, fmt.Errorf("data: Classify: example %d: target %v is not a class in [0, %d)", i, y, classes)
		}
		ol.get(unsafe.Pointer(&out[i]), logits)
		c.Counts[t][predict(logits)]++
	}
	return c, nil
}

// Accuracy returns the fraction of the examples of s that forward
// classifies correctly, as Classify counts them.
func Accuracy[X any, Y Label, O any](s *Set[X, Y], forward func(x []X, out []O)) (float64, error) {
	c, err := Classify(s, forward)
	if err != nil {
		return 0, err
	}
	return c.Accuracy(), nil
}

// predict returns the class of a prediction's logits.
func predict(logits []float64) int {
	if len(logits) == 1 {
		if logits[0] > 0 {
			return 1
		}
		return 0
	}
	best := 0
	for k, v := range logits {
		if v > logits[best] {
			best = k
		}
	}
	return best
}

// Total returns the number of examples counted.
func (c *Confusion) Total() int {
	n := 0
	for _, row := range c.Counts {
		for _, v := range row {
			n += v
		}
	}
	return n
}

// Correct returns the number of examples classified correctly.
func (c *Confusion) Correct() int {
	n := 0
	for t, row := range c.Counts {
		n += row[t]
	}
	return n
}

// Accuracy returns Correct / Total (0 for no examples).
func (c *Confusion) Accuracy() float64 {
	if c.Total() == 0 {
		return 0
	}
	return float64(c.Correct()) / float64(c.Total())
}

// String formats the counts as a table, a row per true class and a column
// per predicted class.
func (c *Confusion) String() string {
	width := len(fmt.Sprint(c.Total()))
	var b strings.Builder
	fmt.Fprintf(&b, "%*s", width+6, "pred:")
	for p := range c.Counts {
		fmt.Fprintf(&b, " %*d", width, p)
	}
	for t, row := range c.Counts {
		fmt.Fprintf(&b, "\ntrue %*d", width, t)
		for _, v := range row {
			fmt.Fprintf(&b, " %*d", width, v)
		}
	}
	return b.String()
}
