package measure

import "testing"

// Only the statistics are tested: nothing here times anything.

func TestSummariseOdd(t *testing.T) {
	s := Summarise([]float64{5, 1, 3, 2, 4}, 7)
	want := Stats{Median: 3, Q1: 2, Q3: 4, Min: 1, Max: 5, Reps: 5, Calls: 7}
	if s.Median != want.Median || s.Q1 != want.Q1 || s.Q3 != want.Q3 ||
		s.Min != want.Min || s.Max != want.Max || s.Reps != want.Reps || s.Calls != want.Calls {
		t.Errorf("Summarise = %+v, want %+v", s, want)
	}
	if s.Samples[0] != 5 {
		t.Errorf("Samples reordered: %v; they must stay in measuring order", s.Samples)
	}
}

func TestSummariseInterpolates(t *testing.T) {
	// numpy's "linear" rule, as torch_bench.py computes it.
	s := Summarise([]float64{4, 1, 3, 2}, 1)
	if s.Median != 2.5 || s.Q1 != 1.75 || s.Q3 != 3.25 {
		t.Errorf("median, q1, q3 = %v, %v, %v; want 2.5, 1.75, 3.25", s.Median, s.Q1, s.Q3)
	}
}
