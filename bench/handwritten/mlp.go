// Package handwritten is the multilayer perceptron a Go programmer writes by
// hand without nngen: float32 slices, plain loops, buffers allocated once.
// It is the benchmark's "plain Go" peer for R1 (housing) and R2 (mnist):
// dense layers with ReLU between them, trained by mini-batch SGD on the mean
// loss of the batch (7.2), (7.10).
package handwritten

// MLP is dense layers with ReLU after every one but the last.
type MLP struct {
	Sizes []int       // layer widths, input first
	W     [][]float32 // W[l] is Sizes[l+1]×Sizes[l], row-major (PyTorch layout)
	B     [][]float32 // B[l] has Sizes[l+1] entries
	LR    float32

	gW, gB [][]float32  // gradients of the last step
	act    [][]float32  // act[l]: outputs of layer l-1 for the batch (act[0] the input)
	delta  [][]float32  // delta[l]: ∂J/∂(pre-activation of layer l) for the batch
	one    [1][]float32 // Forward's batch of one, kept to avoid an allocation
}

// New returns an MLP with zero weights for batches of up to batch examples.
func New(sizes []int, batch int, lr float32) *MLP {
	m := &MLP{Sizes: sizes, LR: lr}
	for l := 0; l+1 < len(sizes); l++ {
		in, out := sizes[l], sizes[l+1]
		m.W = append(m.W, make([]float32, out*in))
		m.B = append(m.B, make([]float32, out))
		m.gW = append(m.gW, make([]float32, out*in))
		m.gB = append(m.gB, make([]float32, out))
		m.delta = append(m.delta, make([]float32, batch*out))
	}
	for _, s := range sizes {
		m.act = append(m.act, make([]float32, batch*s))
	}
	return m
}

// Forward computes one example's output.
func (m *MLP) Forward(x, out []float32) {
	m.one[0] = x
	m.forward(m.one[:])
	copy(out, m.output(0))
}

// ForwardBatch computes the outputs of a batch.
func (m *MLP) ForwardBatch(x, out [][]float32) {
	m.forward(x)
	for b := range x {
		copy(out[b], m.output(b))
	}
}

func (m *MLP) output(b int) []float32 {
	n := m.Sizes[len(m.Sizes)-1]
	return m.act[len(m.act)-1][b*n : (b+1)*n]
}

// forward fills act for the examples of x.
func (m *MLP) forward(x [][]float32) {
	for b, xb := range x {
		copy(m.act[0][b*m.Sizes[0]:], xb)
	}
	last := len(m.W) - 1
	for l := range m.W {
		in, out := m.Sizes[l], m.Sizes[l+1]
		for b := range x {
			dense(m.W[l], m.B[l], m.act[l][b*in:(b+1)*in], m.act[l+1][b*out:(b+1)*out], l < last)
		}
	}
}

// dense computes y = Wx + b (7.35), then ReLU (7.20) if relu.
func dense(w, bias, x, y []float32, relu bool) {
	n := len(x)
	for i := range y {
		row := w[i*n : (i+1)*n]
		s := bias[i]
		for j, v := range x {
			s += row[j] * v
		}
		if relu && s < 0 {
			s = 0
		}
		y[i] = s
	}
}
