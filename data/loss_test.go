package data

import (
	"math"
	"strings"
	"testing"
)

// squareLoss is a batch loss of 4 examples: the mean of (x − y)².
func squareLoss(x *[4][1]float32, y *[4]float32) float32 {
	var sum float32
	for i := range x {
		sum += (x[i][0] - y[i]) * (x[i][0] - y[i])
	}
	return sum / 4
}

// TestMeanLoss checks that every example counts once, whatever the size of
// the last partial batch.
func TestMeanLoss(t *testing.T) {
	for n := 1; n <= 13; n++ {
		s := &Set[[1]float32, float32]{}
		var want float64
		for i := range n {
			x, y := float32(i), float32(i*i%7)
			s.X, s.Y = append(s.X, [1]float32{x}), append(s.Y, y)
			want += float64((x - y) * (x - y))
		}
		want /= float64(n)
		got, err := MeanLoss(s, squareLoss)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-want) > 1e-5*want {
			t.Errorf("%d examples: mean loss %v, want %v", n, got, want)
		}
	}
}

func TestMeanLossErrors(t *testing.T) {
	s := &Set[[1]float32, float32]{X: [][1]float32{{1}}, Y: []float32{1}}
	for _, c := range []struct {
		name string
		try  func() (float64, error)
		msg  string
	}{
		{"inputs not in an array", func() (float64, error) {
			return MeanLoss(s, func(x *[1]float32, y *[4]float32) float32 { return 0 })
		}, "loss takes a batch of [1]float32, not an array of [1]float32"},
		{"fewer targets", func() (float64, error) {
			return MeanLoss(s, func(x *[4][1]float32, y *[3]float32) float32 { return 0 })
		}, "not as many targets as inputs"},
		{"targets of another type", func() (float64, error) {
			return MeanLoss(s, func(x *[4][1]float32, y *[4]float64) float32 { return 0 })
		}, "not as many targets as inputs"},
		{"no examples", func() (float64, error) {
			return MeanLoss(&Set[[1]float32, float32]{}, squareLoss)
		}, "no examples"},
	} {
		if _, err := c.try(); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v, want %q", c.name, err, c.msg)
		}
	}
}
