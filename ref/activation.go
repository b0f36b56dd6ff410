package ref

import (
	"math"

	"github.com/nngen/nngen/ref/internal/pmath"
	"github.com/nngen/nngen/spec"
)

// scalarFunc is an activation or its derivative at one element; l carries
// the options (leakyrelu γ, softplus β).
type scalarFunc func(l *spec.Layer, z float64) float64

// activation builds the module σ applied element-wise, whose backward
// function is B[σ, z](v) = σ'(z) ⊙ v (7.69).
func activation(f, deriv scalarFunc) module {
	return module{
		forward: func(l *spec.Layer, _ [][]float64, z []float64) []float64 {
			out := make([]float64, len(z))
			for i := range z {
				out[i] = f(l, z[i])
			}
			return out
		},
		backward: func(l *spec.Layer, _ [][]float64, z, v []float64, _ [][]float64) []float64 {
			dz := make([]float64, len(z))
			for i := range z {
				dz[i] = deriv(l, z[i]) * v[i]
			}
			return dz
		},
	}
}

// relu is max{z, 0} (7.20); its derivative at 0 is taken as 0 (PyTorch).
func relu(_ *spec.Layer, z float64) float64 { return math.Max(z, 0) }

func reluDeriv(_ *spec.Layer, z float64) float64 {
	if z > 0 {
		return 1
	}
	return 0
}

// sigmoid is 1/(1 + exp(−z)) (7.24), evaluated so exp never overflows.
func sigmoid(_ *spec.Layer, z float64) float64 {
	if z >= 0 {
		return 1 / (1 + pmath.Exp(-z))
	}
	e := pmath.Exp(z)
	return e / (1 + e)
}

func sigmoidDeriv(l *spec.Layer, z float64) float64 {
	s := sigmoid(l, z)
	return s * (1 - s)
}

// tanh is (7.25); tanh' = 1 − tanh².
func tanh(_ *spec.Layer, z float64) float64 { return pmath.Tanh(z) }

func tanhDeriv(_ *spec.Layer, z float64) float64 {
	t := pmath.Tanh(z)
	return 1 - float64(t*t)
}

// gelu is z·Φ(z) (7.27) with the exact normal CDF Φ(z) = ½(1 + erf(z/√2));
// its derivative is Φ(z) + z·φ(z).
func gelu(_ *spec.Layer, z float64) float64 { return z * normalCDF(z) }

func geluDeriv(_ *spec.Layer, z float64) float64 {
	pdf := pmath.Exp(-float64(z*z)/2) / math.Sqrt(2*math.Pi)
	return normalCDF(z) + float64(z*pdf)
}

func normalCDF(z float64) float64 { return 0.5 * (1 + pmath.Erf(z/math.Sqrt2)) }

// leakyReLU is max{z, γz} (7.26) with γ = l.Alpha, written as PyTorch does
// (z for z > 0, γz otherwise), which is the same for γ ≤ 1. The derivative
// is 1 for z > 0 and γ for z ≤ 0.
func leakyReLU(l *spec.Layer, z float64) float64 {
	if z > 0 {
		return z
	}
	return l.Alpha * z
}

func leakyReLUDeriv(l *spec.Layer, z float64) float64 {
	if z > 0 {
		return 1
	}
	return l.Alpha
}

// softplus is (1/β) log(1 + exp(βz)) (7.28), evaluated as
// (max(βz, 0) + log(1 + exp(−|βz|)))/β so exp never overflows; its
// derivative is sigmoid(βz).
func softplus(l *spec.Layer, z float64) float64 {
	t := l.Beta * z
	return (math.Max(t, 0) + pmath.Log1p(pmath.Exp(-math.Abs(t)))) / l.Beta
}

func softplusDeriv(l *spec.Layer, z float64) float64 { return sigmoid(l, l.Beta*z) }
