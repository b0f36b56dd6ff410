package data

import (
	"fmt"
	"math"
	"unsafe"
)

// Standardizer maps each element of E (a feature, or one output of a
// regression) to zero mean and unit variance, with the statistics of the
// set it was fitted on: fit it on the training set, apply it to every set.
type Standardizer[E any] struct {
	Mean, Std []float64 // per element of E; Std is 1 for a constant element
	l         layout
}

// FitStandardizer computes the mean and the (population) standard
// deviation of each element of E over xs. E must be an array of float32 or
// float64.
func FitStandardizer[E any](xs []E) (*Standardizer[E], error) {
	l, err := layoutOf[E]()
	if err != nil || !l.isFloat() {
		return nil, fmt.Errorf("data: FitStandardizer: %v is not an array of float32 or float64", l.typ)
	}
	if len(xs) == 0 {
		return nil, fmt.Errorf("data: FitStandardizer: no examples")
	}
	s := &Standardizer[E]{Mean: make([]float64, l.n), Std: make([]float64, l.n), l: l}
	v := make([]float64, l.n)
	for i := range xs {
		l.get(unsafe.Pointer(&xs[i]), v)
		for j := range v {
			s.Mean[j] += v[j]
		}
	}
	for j := range s.Mean {
		s.Mean[j] /= float64(len(xs))
	}
	for i := range xs {
		l.get(unsafe.Pointer(&xs[i]), v)
		for j := range v {
			s.Std[j] += (v[j] - s.Mean[j]) * (v[j] - s.Mean[j])
		}
	}
	for j, ss := range s.Std {
		s.Std[j] = math.Sqrt(ss / float64(len(xs)))
		if s.Std[j] == 0 {
			s.Std[j] = 1
		}
	}
	return s, nil
}

// Apply standardises xs in place: (v − Mean) / Std.
func (s *Standardizer[E]) Apply(xs []E) {
	s.transform(xs, func(v, mean, std float64) float64 { return (v - mean) / std })
}

// Invert undoes Apply in place: v·Std + Mean, back to the original units.
func (s *Standardizer[E]) Invert(xs []E) {
	s.transform(xs, func(v, mean, std float64) float64 { return v*std + mean })
}

func (s *Standardizer[E]) transform(xs []E, f func(v, mean, std float64) float64) {
	v := make([]float64, s.l.n)
	for i := range xs {
		p := unsafe.Pointer(&xs[i])
		s.l.get(p, v)
		for j := range v {
			v[j] = f(v[j], s.Mean[j], s.Std[j])
		}
		s.l.set(p, v)
	}
}

// RMSE returns the root of the mean squared difference between the
// elements of pred and those of target, over every element of every example.
func RMSE[E any](pred, target []E) (float64, error) {
	l, err := layoutOf[E]()
	if err != nil {
		return 0, err
	}
	if len(pred) != len(target) || len(pred) == 0 {
		return 0, fmt.Errorf("data: RMSE: %d predictions for %d targets", len(pred), len(target))
	}
	p, t := make([]float64, l.n), make([]float64, l.n)
	var sum float64
	for i := range pred {
		l.get(unsafe.Pointer(&pred[i]), p)
		l.get(unsafe.Pointer(&target[i]), t)
		for j := range p {
			sum += (p[j] - t[j]) * (p[j] - t[j])
		}
	}
	return math.Sqrt(sum / float64(len(pred)*l.n)), nil
}
