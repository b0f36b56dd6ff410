package ref

import "github.com/nngen/nngen/spec"

// Backward returns J (the mean loss of the batch, (7.2)) and ∇J, one
// tensor per parameter in Params layout. It also copies ∇J into n.Grad and
// never touches Velocity.
func (n *Net) Backward(x, y [][]float64) (float64, [][]float64) {
	tr := n.Forward(x)
	J, v := lossGrad(n.Model.Loss, tr.Logits, y)
	_, grad := n.backprop(tr, v)
	for i := range grad {
		copy(n.Grad[i], grad[i])
	}
	return J, grad
}

// backprop is the backward pass: from v = ∂J/∂logits it applies each
// layer's backward function in reverse order, (B1) for ∂J/∂u^[i-1] and
// (B2) for ∂J/∂θ^[i]. It returns ∂J/∂x and ∂J/∂θ.
func (n *Net) backprop(tr *Trace, v [][]float64) ([][]float64, [][]float64) {
	grad := n.zeros()
	dx := n.backwardSeq(n.Model.Layers, tr, v, grad)
	return dx, grad
}

func (n *Net) backwardSeq(ls []*spec.Layer, tr *Trace, v [][]float64, grad [][]float64) [][]float64 {
	for i := len(ls) - 1; i >= 0; i-- {
		v = n.backwardLayer(ls[i], tr, v, grad)
	}
	return v
}

// backwardLayer maps v = ∂J/∂(output of l) to ∂J/∂(input of l) and adds
// l's parameter gradients into grad.
func (n *Net) backwardLayer(l *spec.Layer, tr *Trace, v [][]float64, grad [][]float64) [][]float64 {
	if l.Kind == spec.Residual {
		// B[Res, z](v) = v + B[f, z](v): the identity path plus the body's.
		return addBatch(v, n.backwardSeq(l.Body, tr, v, grad))
	}
	z := tr.inputs[l.ID]
	mod, p, g := modules[l.Kind], n.LayerParams(l, n.Params), n.LayerParams(l, grad)
	dz := make([][]float64, len(z))
	for b := range z {
		dz[b] = mod.backward(l, p, z[b], v[b], g)
	}
	return dz
}
