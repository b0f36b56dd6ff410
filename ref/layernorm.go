package ref

import (
	"math"

	"github.com/nngen/nngen/spec"
)

// layerNormForward is LN(z) = β + γ·(z − μ̂)/σ̂ (7.41) over all m features of
// one example, with the biased variance and σ̂ = sqrt(var + eps). With
// affine=vector, γ and β are per feature.
func layerNormForward(l *spec.Layer, p [][]float64, z []float64) []float64 {
	xhat, _ := standardize(z, l.Eps)
	out := make([]float64, len(z))
	for i := range z {
		k := affineIndex(l, i)
		out[i] = p[1][k] + float64(p[0][k]*xhat[i])
	}
	return out
}

// layerNormBackward. With x̂ = LN-S(z) (7.40) and u = ∂J/∂x̂ (u_i = γ_i v_i):
//
//	∂μ̂/∂z_i = 1/m,  ∂σ̂/∂z_i = (z_i − μ̂)/(m σ̂) = x̂_i/m  (Σ_j (z_j − μ̂) = 0),
//	∂x̂_j/∂z_i = (δ_ij − 1/m)/σ̂ − (z_j − μ̂)/σ̂² · x̂_i/m = (δ_ij − 1/m − x̂_i x̂_j/m)/σ̂,
//
// so by (7.58), ∂J/∂z_i = (u_i − mean(u) − x̂_i·mean(u ⊙ x̂))/σ̂. The affine
// part gives ∂J/∂γ = Σ v_i x̂_i and ∂J/∂β = Σ v_i (sums over i for a scalar
// γ, β; per feature for vectors).
func layerNormBackward(l *spec.Layer, p [][]float64, z, v []float64, g [][]float64) []float64 {
	xhat, sigma := standardize(z, l.Eps)
	m := float64(len(z))
	u := make([]float64, len(z))
	for i := range z {
		k := affineIndex(l, i)
		g[0][k] += float64(v[i] * xhat[i])
		g[1][k] += v[i]
		u[i] = float64(p[0][k] * v[i])
	}
	meanU, meanUX := sum(u)/m, dot(u, xhat)/m
	dz := make([]float64, len(z))
	for i := range z {
		dz[i] = (u[i] - meanU - float64(xhat[i]*meanUX)) / sigma
	}
	return dz
}

// standardize returns LN-S(z) (7.40) and σ̂.
func standardize(z []float64, eps float64) ([]float64, float64) {
	m := float64(len(z))
	mu := sum(z) / m
	variance := 0.0
	for _, zi := range z {
		variance += float64((zi - mu) * (zi - mu))
	}
	sigma := math.Sqrt(variance/m + eps)
	xhat := make([]float64, len(z))
	for i, zi := range z {
		xhat[i] = (zi - mu) / sigma
	}
	return xhat, sigma
}

// affineIndex is the index into γ and β of feature i.
func affineIndex(l *spec.Layer, i int) int {
	if l.Affine == spec.AffineScalar {
		return 0
	}
	return i
}
