package data

import (
	"strings"
	"testing"
)

// identity is a forward function whose logits are the inputs.
func identity(x [][3]float32, out [][3]float32) { copy(out, x) }

func TestClassify(t *testing.T) {
	s := &Set[[3]float32, int32]{
		X: [][3]float32{{1, 0, 0}, {0, 2, 1}, {0, 2, 3}, {5, 5, 0}, {-1, -2, -3}},
		Y: []int32{0, 1, 1, 1, 2},
	}
	c, err := Classify(s, identity)
	if err != nil {
		t.Fatal(err)
	}
	// {5, 5, 0} is a tie: the first logit wins.
	want := [][]int{{1, 0, 0}, {1, 1, 1}, {1, 0, 0}}
	for i := range want {
		for j := range want[i] {
			if c.Counts[i][j] != want[i][j] {
				t.Fatalf("counts %v, want %v", c.Counts, want)
			}
		}
	}
	if c.Total() != 5 || c.Correct() != 2 || c.Accuracy() != 0.4 {
		t.Errorf("total %d, correct %d, accuracy %v; want 5, 2, 0.4", c.Total(), c.Correct(), c.Accuracy())
	}
	if acc, err := Accuracy(s, identity); acc != 0.4 || err != nil {
		t.Errorf("Accuracy: %v, %v", acc, err)
	}
	if got := c.String(); !strings.HasPrefix(got, "  pred: 0 1 2\ntrue 0 1 0 0\n") {
		t.Errorf("String:\n%s", got)
	}
}

// TestClassifyLogistic: one logit, positive for class 1.
func TestClassifyLogistic(t *testing.T) {
	s := &Set[[1]float64, float64]{X: [][1]float64{{2}, {-1}, {0}, {0.5}}, Y: []float64{1, 0, 1, 0}}
	c, err := Classify(s, func(x [][1]float64, out [][1]float64) { copy(out, x) })
	if err != nil {
		t.Fatal(err)
	}
	if c.Counts[0][0] != 1 || c.Counts[0][1] != 1 || c.Counts[1][0] != 1 || c.Counts[1][1] != 1 {
		t.Errorf("counts %v, want [[1 1] [1 1]]", c.Counts)
	}
}

func TestClassifyErrors(t *testing.T) {
	s := &Set[[3]float32, int32]{X: [][3]float32{{1, 0, 0}}, Y: []int32{3}}
	if _, err := Classify(s, identity); err == nil || !strings.Contains(err.Error(), "example 0: target 3 is not a class in [0, 3)") {
		t.Errorf("target 3 of 3 classes: %v", err)
	}
	f := &Set[[1]float64, float64]{X: [][1]float64{{1}}, Y: []float64{0.5}}
	if _, err := Classify(f, func(x [][1]float64, out [][1]float64) {}); err == nil {
		t.Error("target 0.5 accepted")
	}
	if _, err := Accuracy(s, func(x [][3]float32, out [][3]int32) {}); err == nil {
		t.Error("integer outputs accepted")
	}
}
