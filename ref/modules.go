package ref

import "github.com/nngen/nngen/spec"

// module is one layer kind's forward function and backward function
// B[M, z] (7.57), for one example. p holds the layer's parameters in
// l.Params order; backward adds ∂J/∂θ into g (same order) and returns
// ∂J/∂z. Neither modifies z, v or p.
type module struct {
	forward  func(l *spec.Layer, p [][]float64, z []float64) []float64
	backward func(l *spec.Layer, p [][]float64, z, v []float64, g [][]float64) []float64
}

// modules holds every kind but Residual, which the passes handle because
// it nests a sequence of layers.
var modules = map[spec.Kind]module{
	spec.Dense:     {denseForward, denseBackward},         // (7.35); (7.63), (7.65), (7.66)
	spec.ReLU:      activation(relu, reluDeriv),           // (7.20)
	spec.Sigmoid:   activation(sigmoid, sigmoidDeriv),     // (7.24)
	spec.Tanh:      activation(tanh, tanhDeriv),           // (7.25)
	spec.GELU:      activation(gelu, geluDeriv),           // (7.27)
	spec.LeakyReLU: activation(leakyReLU, leakyReLUDeriv), // (7.26)
	spec.Softplus:  activation(softplus, softplusDeriv),   // (7.28)
	spec.LayerNorm: {layerNormForward, layerNormBackward}, // (7.41)
	spec.Conv1D:    {conv(taps1D), convBackward(taps1D)},  // (7.48)–(7.50)
	spec.Conv2D:    {conv(taps2D), convBackward(taps2D)},  // (7.51)
	spec.Flatten:   {flattenForward, flattenBackward},     // channel-major: data unchanged
	spec.MaxPool1D: {maxPoolForward, maxPoolBackward},     // max per window (pool.go)
	spec.MaxPool2D: {maxPoolForward, maxPoolBackward},
	spec.AvgPool1D: {avgPoolForward, avgPoolBackward}, // mean per window
	spec.AvgPool2D: {avgPoolForward, avgPoolBackward},
}

// flattenForward copies: a CxL or CxHxW tensor flattened channel-major is
// already the vector.
func flattenForward(_ *spec.Layer, _ [][]float64, z []float64) []float64 {
	return append([]float64(nil), z...)
}

func flattenBackward(_ *spec.Layer, _ [][]float64, _, v []float64, _ [][]float64) []float64 {
	return append([]float64(nil), v...)
}
