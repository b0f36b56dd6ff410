package ref

import (
	"math"

	"github.com/nngen/nngen/ref/internal/pmath"
	"github.com/nngen/nngen/spec"
)

// Loss returns J, the mean of the examples' losses (7.2). Targets y[b]:
// crossentropy {class index}, logistic {0 or 1}, mse the output vector.
func (n *Net) Loss(x, y [][]float64) float64 {
	J, _ := lossGrad(n.Model.Loss, n.Forward(x).Logits, y)
	return J
}

// lossGrad returns J = (1/B) Σ_b ℓ(t_b, y_b) and v_b = ∂J/∂t_b, which is
// the backward function of ℓ applied to 1/B.
func lossGrad(k spec.LossKind, logits, y [][]float64) (float64, [][]float64) {
	J, v := 0.0, make([][]float64, len(logits))
	scale := 1 / float64(len(logits))
	for b, t := range logits {
		l, d := lossFuncs[k](t, y[b])
		J += l
		for i := range d {
			d[i] *= scale
		}
		v[b] = d
	}
	return J * scale, v
}

// lossFuncs return one example's loss and its gradient in the logits.
var lossFuncs = [...]func(t, y []float64) (float64, []float64){
	spec.MSE:          mse,
	spec.Logistic:     logistic,
	spec.CrossEntropy: crossEntropy,
}

// mse is ½‖h − y‖² (7.1), summed over outputs; its gradient is h − y.
func mse(h, y []float64) (float64, []float64) {
	l, d := 0.0, make([]float64, len(h))
	for i := range h {
		d[i] = h[i] - y[i]
		l += float64(d[i]*d[i]) / 2
	}
	return l, d
}

// logistic is (7.4) on the single logit t: −y log g(t) − (1−y) log(1−g(t))
// = max(t, 0) − y·t + log(1 + exp(−|t|)), which never overflows. Its
// gradient is g(t) − y (7.70).
func logistic(t, y []float64) (float64, []float64) {
	l := math.Max(t[0], 0) - float64(y[0]*t[0]) + pmath.Log1p(pmath.Exp(-math.Abs(t[0])))
	return l, []float64{sigmoid(nil, t[0]) - y[0]}
}

// crossEntropy is −log softmax(t)_y (7.6) = logsumexp(t) − t_y, with the
// maximum subtracted before exponentiating; its gradient is
// softmax(t) − e_y (7.71).
func crossEntropy(t, y []float64) (float64, []float64) {
	mx := t[0]
	for _, ti := range t {
		mx = math.Max(mx, ti)
	}
	sum := 0.0
	for _, ti := range t {
		sum += pmath.Exp(ti - mx)
	}
	lse := mx + pmath.Log(sum)
	c := int(y[0])
	d := make([]float64, len(t))
	for i, ti := range t {
		d[i] = pmath.Exp(ti - lse)
	}
	d[c]--
	return lse - t[c], d
}
