package ref

import (
	"math"

	"github.com/nngen/nngen/ref/internal/pmath"
	"github.com/nngen/nngen/spec"
)

// Update applies one step of the model's optimizer with gradient grad,
// with the semantics of PyTorch's torch.optim (1.13): SGD (weight decay as
// L2, momentum without dampening, Nesterov), Adam (L2 in the gradient,
// bias-corrected moments) and AdamW (decoupled decay). For SGD without
// weight decay or momentum this is (7.10).
func (n *Net) Update(grad [][]float64) {
	o := n.Model.Optimizer
	n.Steps++
	for i, theta := range n.Params {
		switch o.Kind {
		case spec.SGD:
			sgd(o, theta, grad[i], n.Velocity[i])
		default:
			adam(o, n.Steps, theta, grad[i], n.Moment1[i], n.Moment2[i])
		}
	}
}

func sgd(o spec.Optimizer, theta, g, v []float64) {
	for j := range theta {
		d := g[j] + float64(o.WeightDecay*theta[j])
		if o.Momentum != 0 {
			v[j] = float64(o.Momentum*v[j]) + d
			if o.Nesterov {
				d += float64(o.Momentum * v[j])
			} else {
				d = v[j]
			}
		}
		theta[j] -= float64(o.LR * d)
	}
}

func adam(o spec.Optimizer, t int, theta, g, m, v []float64) {
	bc1 := 1 - pmath.PowInt(o.Beta1, t)
	bc2 := math.Sqrt(1 - pmath.PowInt(o.Beta2, t))
	for j := range theta {
		d := g[j]
		if o.Kind == spec.AdamW {
			theta[j] *= 1 - float64(o.LR*o.WeightDecay)
		} else {
			d += float64(o.WeightDecay * theta[j])
		}
		m[j] = float64(o.Beta1*m[j]) + float64((1-o.Beta1)*d)
		v[j] = float64(o.Beta2*v[j]) + float64((1-o.Beta2)*d*d)
		theta[j] -= float64(o.LR / bc1 * m[j] / (math.Sqrt(v[j])/bc2 + o.Eps))
	}
}
