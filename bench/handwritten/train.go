package handwritten

import "math"

// StepClasses is one SGD step on the mean cross-entropy of the batch (7.6)
// with class labels; it returns the loss before the update.
func (m *MLP) StepClasses(x [][]float32, labels []int32) float32 {
	m.forward(x)
	last := len(m.W) - 1
	n, scale := m.Sizes[last+1], 1/float32(len(x))
	var J float32
	for b := range x {
		t, d := m.output(b), m.delta[last][b*n:(b+1)*n]
		J += softmaxGrad(t, int(labels[b]), d, scale)
	}
	m.backward(len(x))
	return J * scale
}

// StepMSE is one SGD step on the mean of ½‖h − y‖² (7.1).
func (m *MLP) StepMSE(x, y [][]float32) float32 {
	m.forward(x)
	last := len(m.W) - 1
	n, scale := m.Sizes[last+1], 1/float32(len(x))
	var J float32
	for b := range x {
		h, d := m.output(b), m.delta[last][b*n:(b+1)*n]
		for i := range h {
			e := h[i] - y[b][i]
			J += e * e / 2
			d[i] = e * scale
		}
	}
	m.backward(len(x))
	return J * scale
}

// softmaxGrad writes scale·(softmax(t) − e_y) (7.71) to d and returns
// −log softmax(t)_y.
func softmaxGrad(t []float32, y int, d []float32, scale float32) float32 {
	mx := t[0]
	for _, v := range t {
		mx = max(mx, v)
	}
	var sum float32
	for i, v := range t {
		d[i] = float32(math.Exp(float64(v - mx)))
		sum += d[i]
	}
	for i := range d {
		d[i] *= scale / sum
	}
	d[y] -= scale
	return mx + float32(math.Log(float64(sum))) - t[y]
}

// backward turns delta of the last layer into gradients and steps.
func (m *MLP) backward(batch int) {
	for l := len(m.W) - 1; l >= 0; l-- {
		m.layerGrad(l, batch)
		if l > 0 {
			m.propagate(l, batch)
		}
	}
	for l := range m.W {
		sgd(m.W[l], m.gW[l], m.LR)
		sgd(m.B[l], m.gB[l], m.LR)
	}
}

// layerGrad sums ∂J/∂W = Σ_b δ_b x_bᵀ and ∂J/∂b = Σ_b δ_b (7.66).
func (m *MLP) layerGrad(l, batch int) {
	in, out := m.Sizes[l], m.Sizes[l+1]
	gw, gb := m.gW[l], m.gB[l]
	clear(gw)
	clear(gb)
	for b := range batch {
		x, d := m.act[l][b*in:(b+1)*in], m.delta[l][b*out:(b+1)*out]
		for i, di := range d {
			gb[i] += di
			row := gw[i*in : (i+1)*in]
			for j, v := range x {
				row[j] += di * v
			}
		}
	}
}

// propagate computes δ of layer l-1 = Wᵀδ_l masked by ReLU' (7.65).
func (m *MLP) propagate(l, batch int) {
	in, out := m.Sizes[l], m.Sizes[l+1]
	w := m.W[l]
	for b := range batch {
		d, prev := m.delta[l][b*out:(b+1)*out], m.delta[l-1][b*in:(b+1)*in]
		clear(prev)
		for i, di := range d {
			row := w[i*in : (i+1)*in]
			for j, v := range row {
				prev[j] += v * di
			}
		}
		act := m.act[l][b*in : (b+1)*in]
		for j := range prev {
			if act[j] <= 0 {
				prev[j] = 0
			}
		}
	}
}

func sgd(theta, grad []float32, lr float32) {
	for i := range theta {
		theta[i] -= lr * grad[i]
	}
}
