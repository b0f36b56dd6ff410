package data

import (
	"math"
	"testing"
)

func TestStandardizer(t *testing.T) {
	xs := [][3]float32{{1, 10, 5}, {2, 20, 5}, {3, 60, 5}}
	s, err := FitStandardizer(xs)
	if err != nil {
		t.Fatal(err)
	}
	if s.Mean[0] != 2 || s.Mean[1] != 30 || s.Std[2] != 1 || math.Abs(s.Std[0]-math.Sqrt(2.0/3)) > 1e-15 {
		t.Errorf("mean %v, std %v", s.Mean, s.Std)
	}
	s.Apply(xs)
	for j := range 3 {
		var sum, sq float64
		for _, x := range xs {
			sum += float64(x[j])
			sq += float64(x[j]) * float64(x[j])
		}
		if math.Abs(sum) > 1e-6 || (j < 2 && math.Abs(sq/3-1) > 1e-6) {
			t.Errorf("feature %d after Apply: mean %v, variance %v", j, sum/3, sq/3)
		}
	}
	s.Invert(xs)
	if want := [3]float32{3, 60, 5}; math.Abs(float64(xs[2][1]-want[1])) > 1e-5 || xs[2][2] != 5 {
		t.Errorf("after Invert: %v, want %v", xs[2], want)
	}
	if _, err := FitStandardizer([][2]int32{{1, 2}}); err == nil {
		t.Error("integers accepted")
	}
	if _, err := FitStandardizer([][2]float32{}); err == nil {
		t.Error("no examples accepted")
	}
}

func TestRMSE(t *testing.T) {
	got, err := RMSE([][2]float64{{1, 2}, {3, 4}}, [][2]float64{{1, 0}, {3, 0}})
	if err != nil || math.Abs(got-math.Sqrt(5)) > 1e-15 {
		t.Errorf("RMSE %v, %v; want √5", got, err)
	}
	if _, err := RMSE([][1]float32{{1}}, nil); err == nil {
		t.Error("1 prediction for 0 targets accepted")
	}
}
