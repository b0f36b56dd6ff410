package main

import (
	"gonum.org/v1/gonum/mat"

	"github.com/nngen/nngen/data"
	"github.com/nngen/nngen/examples/regression/diabetesnet"
)

// leastSquaresRMSE fits y ≈ b₀ + Σ bⱼxⱼ to train by ordinary least squares
// (QR, gonum's Dense.Solve) and returns its RMSE on test, in the target's
// units: the linear baseline the network is measured against.
func leastSquaresRMSE(train, test *set) (float64, error) {
	a := designMatrix(train)
	y := mat.NewDense(train.Len(), 1, nil)
	for i, t := range train.Y {
		y.Set(i, 0, float64(t[0]))
	}
	var b mat.Dense
	if err := b.Solve(a, y); err != nil {
		return 0, err
	}
	var pred mat.Dense
	pred.Mul(designMatrix(test), &b)
	predictions := make([]diabetesnet.Output, test.Len())
	for i := range predictions {
		predictions[i][0] = float32(pred.At(i, 0))
	}
	return data.RMSE(predictions, test.Y)
}

// designMatrix returns the inputs of s as rows [1, x₁, …, x₁₀].
func designMatrix(s *set) *mat.Dense {
	a := mat.NewDense(s.Len(), 1+diabetesnet.InputSize, nil)
	for i, x := range s.X {
		a.Set(i, 0, 1)
		for j, v := range x {
			a.Set(i, 1+j, float64(v))
		}
	}
	return a
}
