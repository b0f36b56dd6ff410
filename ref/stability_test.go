package ref

import (
	"math"
	"testing"
)

// Logits of ±1000 overflow exp in a naive loss; these values are exact.
func TestCrossEntropyExtremeLogits(t *testing.T) {
	m := parseNN(t, "3", "dense 3 bias=false", "loss crossentropy")
	n := New(m)
	copy(n.ParamOf("Dense1W"), []float64{1, 0, 0, 0, 1, 0, 0, 0, 1}) // logits = x
	J, g := n.Backward([][]float64{{1000, -1000, 0}}, [][]float64{{1}})
	// J = logsumexp(t) − t_1 = 1000 + 1000; ∂J/∂t = softmax − e_1 = (1, −1, 0); ∂J/∂W = (∂J/∂t) xᵀ.
	assertClose(t, "J", []float64{J}, []float64{2000})
	assertClose(t, "dW", g[0], []float64{1000, -1000, 0, -1000, 1000, 0, 0, 0, 0})
}

func TestLogisticExtremeLogits(t *testing.T) {
	m := parseNN(t, "1", "dense 1 bias=false", "loss logistic")
	n := New(m)
	n.ParamOf("Dense1W")[0] = 1
	x := [][]float64{{1000}, {-1000}, {1000}, {-1000}}
	y := [][]float64{{0}, {0}, {1}, {1}}
	J, g := n.Backward(x, y)
	// Losses 1000, 0, 0, 1000; ∂ℓ/∂t = g(t) − y = 1, 0, 0, −1; dW = mean of (g(t) − y)·x.
	assertClose(t, "J", []float64{J}, []float64{500})
	assertClose(t, "dW", g[0], []float64{500})
}

// Every activation and layernorm stay finite on extreme or constant input.
func TestExtremeInputsFinite(t *testing.T) {
	for _, layer := range []string{"sigmoid", "tanh", "gelu", "softplus", "softplus beta=3", "leakyrelu", "relu", "layernorm"} {
		m := parseNN(t, "3", layer, "dense 2", "loss crossentropy")
		n := New(m)
		n.Init(1)
		for _, x := range [][]float64{{1000, -1000, 0}, {5, 5, 5}} {
			J, g := n.Backward([][]float64{x}, [][]float64{{0}})
			if !finite(J) || !allFinite(g) {
				t.Errorf("%s on %v: J = %v, gradient finite: %v", layer, x, J, allFinite(g))
			}
		}
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func allFinite(g [][]float64) bool {
	for _, p := range g {
		for _, v := range p {
			if !finite(v) {
				return false
			}
		}
	}
	return true
}
