package ref

import (
	"math"

	"github.com/nngen/nngen/spec"
)

// Pooling (PyTorch's MaxPool1d/2d and AvgPool1d/2d, no padding): output o
// of channel c reads the window of K (K×K) input elements starting at its
// position times the stride. windows lists each output's window as flat
// input indices in row-major order, the order that decides ties.
//
//	max:  h[o] = z[j*] with j* the first j of the window where z is largest;
//	      ∂J/∂z[j*] += v[o] (summed over the windows where j is the maximum)
//	mean: h[o] = (1/w) Σ_j z[j];  ∂J/∂z[j] += v[o]/w for every j of the window

// windows calls fn for every output o of l with its window's input indices.
func windows(l *spec.Layer, fn func(o int, win []int)) {
	in, out := l.In[1:], l.Out[1:]
	inPlane, outPlane := l.In[1:].Size(), l.Out[1:].Size()
	win := make([]int, 0, l.Kernel*l.Kernel)
	for c := 0; c < l.In[0]; c++ {
		for p := 0; p < outPlane; p++ {
			win = win[:0]
			// The window starts at row r, column s of a plane w wide and
			// spans rows of it; a 1-D channel is one row.
			r, s, w, rows := 0, p, 0, 1
			if len(in) == 2 {
				r, s, w, rows = p/out[1], p%out[1], in[1], l.Kernel
			}
			for k := 0; k < rows; k++ {
				for m := 0; m < l.Kernel; m++ {
					win = append(win, c*inPlane+(r*l.Stride+k)*w+s*l.Stride+m)
				}
			}
			fn(c*outPlane+p, win)
		}
	}
}

// argmax is the first index of win where z is largest; a NaN counts as the
// largest (the last NaN wins), as in PyTorch, so that a NaN is not hidden.
func argmax(z []float64, win []int) int {
	best := win[0]
	for _, j := range win[1:] {
		if z[j] > z[best] || math.IsNaN(z[j]) {
			best = j
		}
	}
	return best
}

func maxPoolForward(l *spec.Layer, _ [][]float64, z []float64) []float64 {
	out := make([]float64, l.Out.Size())
	windows(l, func(o int, win []int) { out[o] = z[argmax(z, win)] })
	return out
}

func maxPoolBackward(l *spec.Layer, _ [][]float64, z, v []float64, _ [][]float64) []float64 {
	dz := make([]float64, len(z))
	windows(l, func(o int, win []int) { dz[argmax(z, win)] += v[o] })
	return dz
}

func avgPoolForward(l *spec.Layer, _ [][]float64, z []float64) []float64 {
	out := make([]float64, l.Out.Size())
	windows(l, func(o int, win []int) {
		s := 0.0
		for _, j := range win {
			s += z[j]
		}
		out[o] = s / float64(len(win))
	})
	return out
}

func avgPoolBackward(l *spec.Layer, _ [][]float64, z, v []float64, _ [][]float64) []float64 {
	dz := make([]float64, len(z))
	windows(l, func(o int, win []int) {
		g := v[o] / float64(len(win))
		for _, j := range win {
			dz[j] += g
		}
	})
	return dz
}
