package weightinit

import (
	"math"

	"github.com/nngen/nngen/spec"
)

// Rand is SplitMix64: tiny, fast, and easy to emit into generated code.
type Rand struct{ state uint64 }

// NewRand returns a stream seeded with seed.
func NewRand(seed uint64) *Rand { return &Rand{state: seed} }

// Uint64 returns the next 64 random bits.
func (r *Rand) Uint64() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Float64 returns a uniform value in [0, 1).
func (r *Rand) Float64() float64 { return float64(r.Uint64()>>11) * 0x1p-53 }

// Scheme says how one parameter is initialised.
type Scheme struct {
	Const float64 // value of every element when Bound is 0
	Bound float64 // a > 0: elements are (2u − 1)·a
	He    bool    // the bound is He's (else Xavier's); for documentation
}

// SchemeOf returns the initialisation of p within m.
func SchemeOf(m *spec.Model, p *spec.Param) Scheme {
	switch p.Role {
	case spec.RoleB, spec.RoleBeta:
		return Scheme{}
	case spec.RoleGamma:
		return Scheme{Const: 1}
	}
	fanIn := p.Shape[1:].Size()
	fanOut := p.Shape[0] * p.Shape[2:].Size()
	if next := nextLayer(m, p.Layer); next != nil && reluFamily(next.Kind) {
		return Scheme{Bound: math.Sqrt(6 / float64(fanIn)), He: true}
	}
	return Scheme{Bound: math.Sqrt(6 / float64(fanIn+fanOut))}
}

func reluFamily(k spec.Kind) bool {
	return k == spec.ReLU || k == spec.LeakyReLU || k == spec.GELU || k == spec.Softplus
}

// nextLayer returns the layer after l in l's own sequence, or nil.
func nextLayer(m *spec.Model, l *spec.Layer) *spec.Layer {
	var found *spec.Layer
	var search func([]*spec.Layer)
	search = func(ls []*spec.Layer) {
		for i, x := range ls {
			if x == l && i+1 < len(ls) {
				found = ls[i+1]
			}
			search(x.Body)
		}
	}
	search(m.Layers)
	return found
}

// Values returns every parameter of m initialised from seed, in Params
// order, each flattened row-major.
func Values(m *spec.Model, seed uint64) [][]float64 {
	r := NewRand(seed)
	out := make([][]float64, len(m.Params))
	for i, p := range m.Params {
		s := SchemeOf(m, p)
		v := make([]float64, p.Shape.Size())
		for j := range v {
			if s.Bound > 0 {
				v[j] = (2*r.Float64() - 1) * s.Bound
			} else {
				v[j] = s.Const
			}
		}
		out[i] = v
	}
	return out
}
