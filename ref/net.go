package ref

import (
	"github.com/nngen/nngen/spec"
	"github.com/nngen/nngen/weightinit"
)

// Net is a model's parameters and optimizer state.
type Net struct {
	Model    *spec.Model
	Params   [][]float64 // one per Model.Params entry, row-major, PyTorch layout
	Velocity [][]float64 // sgd's momentum buffers, zero until the first Step
	Moment1  [][]float64 // adam, adamw: first moments m, zero until the first Step
	Moment2  [][]float64 // adam, adamw: second moments v
	Steps    int         // Steps taken: Adam's t after a Step
	Grad     [][]float64 // the gradient of the last Backward or Step

	index map[*spec.Param]int // position of each parameter in Params
}

// New returns a Net for m with every parameter zero.
func New(m *spec.Model) *Net {
	n := &Net{Model: m, index: make(map[*spec.Param]int, len(m.Params))}
	for i, p := range m.Params {
		n.index[p] = i
	}
	n.Params = n.zeros()
	n.Velocity = n.zeros()
	n.Moment1, n.Moment2 = n.zeros(), n.zeros()
	n.Grad = n.zeros()
	return n
}

// zeros returns a zero tensor shaped like Params.
func (n *Net) zeros() [][]float64 {
	out := make([][]float64, len(n.Model.Params))
	for i, p := range n.Model.Params {
		out[i] = make([]float64, p.Shape.Size())
	}
	return out
}

// Init sets the parameters to weightinit.Values(m, seed), the
// initialisation the generated packages share.
func (n *Net) Init(seed uint64) {
	for i, v := range weightinit.Values(n.Model, seed) {
		copy(n.Params[i], v)
	}
}

// ParamIndex returns the position in Params of the parameter whose Go
// field name is name ("Dense1W"), or -1.
func (n *Net) ParamIndex(name string) int {
	for i, p := range n.Model.Params {
		if p.Name == name {
			return i
		}
	}
	return -1
}

// ParamOf returns the values of the parameter named name ("Dense1W",
// "EncB", "Layernorm2Gamma"), or nil if there is none. The slice aliases
// Params.
func (n *Net) ParamOf(name string) []float64 {
	if i := n.ParamIndex(name); i >= 0 {
		return n.Params[i]
	}
	return nil
}

// GradOf is ParamOf for Grad.
func (n *Net) GradOf(name string) []float64 {
	if i := n.ParamIndex(name); i >= 0 {
		return n.Grad[i]
	}
	return nil
}

// LayerParams returns the tensors of vals (Params, Grad, Velocity or a
// gradient from Backward) that belong to l, in l.Params order.
func (n *Net) LayerParams(l *spec.Layer, vals [][]float64) [][]float64 {
	out := make([][]float64, len(l.Params))
	for i, p := range l.Params {
		out[i] = vals[n.index[p]]
	}
	return out
}

// Step runs Backward, then the optimizer's update (optimizer.go). It
// returns J before the update.
func (n *Net) Step(x, y [][]float64) float64 {
	J, grad := n.Backward(x, y)
	n.Update(grad)
	return J
}
