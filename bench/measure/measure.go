// Package measure times a function the way the benchmark reports it: a
// warm-up, then a number of repetitions, each timing enough back-to-back
// calls to last a fixed slice of time, summarised by median, quartiles and
// extremes of the per-call time. torch_bench.py follows the same procedure.
package measure

import (
	"slices"
	"time"
)

// Options fixes the procedure.
type Options struct {
	Warmup time.Duration // spent calling f before anything is timed
	Rep    time.Duration // target length of one repetition
	Reps   int           // number of repetitions (>= 10 for the report)
}

// Stats summarises the per-call times of the repetitions, in nanoseconds.
type Stats struct {
	Median, Q1, Q3, Min, Max float64
	Reps                     int       // repetitions timed
	Calls                    int       // calls per repetition
	Samples                  []float64 // per-call time of each repetition
}

// Run measures f.
func Run(f func(), o Options) Stats {
	calls := calibrate(f, o)
	samples := make([]float64, o.Reps)
	for i := range samples {
		t := time.Now()
		for range calls {
			f()
		}
		samples[i] = float64(time.Since(t).Nanoseconds()) / float64(calls)
	}
	return Summarise(samples, calls)
}

// calibrate warms f up and returns how many calls fill one repetition.
func calibrate(f func(), o Options) int {
	start, calls := time.Now(), 0
	for calls < 3 || time.Since(start) < o.Warmup {
		f()
		calls++
	}
	per := time.Since(start) / time.Duration(calls)
	return max(1, int(o.Rep/max(per, 1)))
}

// Summarise computes the statistics of samples (per-call nanoseconds).
func Summarise(samples []float64, calls int) Stats {
	s := slices.Clone(samples)
	slices.Sort(s)
	return Stats{
		Median: quantile(s, 0.5), Q1: quantile(s, 0.25), Q3: quantile(s, 0.75),
		Min: s[0], Max: s[len(s)-1], Reps: len(s), Calls: calls, Samples: samples,
	}
}

// quantile interpolates linearly between the order statistics of sorted s
// (the rule numpy calls "linear", so Go and Python agree).
func quantile(s []float64, q float64) float64 {
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	frac := pos - float64(i)
	return s[i] + frac*(s[i+1]-s[i])
}
