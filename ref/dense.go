package ref

import (
	"github.com/nngen/nngen/spec"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// denseForward is MM_{W,b}(z) = Wz + b (7.35), W [N][in] row-major.
func denseForward(l *spec.Layer, p [][]float64, z []float64) []float64 {
	W := mat.NewDense(l.Units, len(z), p[0])
	h := mat.NewVecDense(l.Units, nil)
	h.MulVec(W, mat.NewVecDense(len(z), z))
	if l.Bias {
		h.AddVec(h, mat.NewVecDense(l.Units, p[1]))
	}
	return h.RawVector().Data
}

// denseBackward: B[MM, z](v) = Wᵀv (7.63), B[MM, W](v) = v zᵀ (7.65),
// B[MM, b](v) = v (7.66).
func denseBackward(l *spec.Layer, p [][]float64, z, v []float64, g [][]float64) []float64 {
	W := mat.NewDense(l.Units, len(z), p[0])
	vv := mat.NewVecDense(l.Units, v)
	dW := mat.NewDense(l.Units, len(z), g[0]) // aliases g[0]: the update accumulates there
	dW.RankOne(dW, 1, vv, mat.NewVecDense(len(z), z))
	if l.Bias {
		floats.Add(g[1], v)
	}
	dz := mat.NewVecDense(len(z), nil)
	dz.MulVec(W.T(), vv)
	return dz.RawVector().Data
}
