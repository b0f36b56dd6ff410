package ir

import (
	"fmt"
	"sort"

	"github.com/nngen/nngen/spec"
)

// lowerer holds the state of one Lower call.
type lowerer struct {
	p      *Program
	m      *spec.Model
	work   map[string]*Buffer
	params map[*spec.Param][2]*Buffer // value, gradient
	in     map[*spec.Layer]*Buffer    // the value entering each layer
	out    map[*spec.Layer]*Buffer    // the value leaving it
	grad   map[*Buffer]*Buffer        // ∂J/∂value; absent for the input
	saved  map[*spec.Layer]*saved     // what a layer's forward keeps for its backward
}

// saved are the buffers a layer's forward pass fills for its backward pass
// besides its output (Algorithm 3): layernorm's x̂ and σ̂, a conv's columns.
type saved struct {
	xhat, sigma *Buffer // layernorm
	cols        *Buffer // conv: im2col scratch, refilled per example by the backward pass
}

// Lower turns a checked model into a Program.
func Lower(m *spec.Model) (*Program, error) {
	if m.Batch < 1 || len(m.Layers) == 0 {
		return nil, fmt.Errorf("model %q: nothing to lower", m.Name)
	}
	l := &lowerer{
		p: &Program{Model: m, Batch: m.Batch}, m: m,
		work: map[string]*Buffer{}, params: map[*spec.Param][2]*Buffer{},
		in: map[*spec.Layer]*Buffer{}, out: map[*spec.Layer]*Buffer{}, grad: map[*Buffer]*Buffer{},
		saved: map[*spec.Layer]*saved{},
	}
	for _, p := range m.Params {
		v := &Buffer{Name: p.Name, Kind: Param, Size: p.Shape.Size(), Param: p}
		g := &Buffer{Name: p.Name, Kind: Grad, Size: v.Size, Param: p}
		l.params[p] = [2]*Buffer{v, g}
		l.p.Params = append(l.p.Params, v)
		l.p.Grads = append(l.p.Grads, g)
	}
	l.p.Input = &Buffer{Name: "x", Kind: Input, Size: m.Batch * m.Input.Size()}
	var err error
	if l.p.Forward, err = l.forward(m.Layers, l.p.Input, m.Batch, nil); err != nil {
		return nil, err
	}
	l.p.Output = l.out[m.Layers[len(m.Layers)-1]]
	if l.p.Output == l.p.Input { // only flatten: the reference runs it, a package would have nothing to compute
		return nil, fmt.Errorf("%s: flatten: the model computes nothing, its output would be its input; add a layer after it", m.Layers[0].Pos)
	}
	if l.p.Forward1, err = l.forward(m.Layers, l.p.Input, 1, nil); err != nil {
		return nil, err
	}
	l.lowerLoss()
	l.p.Backward = l.backward(m.Layers, nil)
	sharedPads(l.p)
	return l.p, nil
}

// buf returns the workspace buffer called name, creating it with size
// elements the first time (the batched pass comes first, so sizes are full).
func (l *lowerer) buf(name string, size int) *Buffer {
	if b, ok := l.work[name]; ok {
		return b
	}
	b := &Buffer{Name: name, Kind: Work, Size: size}
	l.work[name] = b
	l.p.Work = append(l.p.Work, b)
	return b
}

// gradOf returns the gradient buffer of a value, or nil for the input.
func (l *lowerer) gradOf(v *Buffer) *Buffer {
	if v.Kind == Input {
		return nil
	}
	if g, ok := l.grad[v]; ok {
		return g
	}
	g := l.buf(v.Name+"Grad", v.Size)
	l.grad[v] = g
	return g
}

func (l *lowerer) param(ly *spec.Layer, r spec.Role) *Buffer {
	for _, p := range ly.Params {
		if p.Role == r {
			return l.params[p][0]
		}
	}
	return nil
}

func (l *lowerer) paramGrad(ly *spec.Layer, r spec.Role) *Buffer {
	for _, p := range ly.Params {
		if p.Role == r {
			return l.params[p][1]
		}
	}
	return nil
}

// forward lowers a sequence of layers running on nb examples; fs collects
// the functions, body layers of a residual before the residual itself.
func (l *lowerer) forward(ls []*spec.Layer, in *Buffer, nb int, fs []*Func) ([]*Func, error) {
	for _, ly := range ls {
		var err error
		if ly.Kind == spec.Residual {
			if fs, err = l.forward(ly.Body, in, nb, fs); err != nil {
				return nil, err
			}
		}
		l.in[ly] = in
		f, out, err := l.layerForward(ly, in, nb)
		if err != nil {
			return nil, err
		}
		l.out[ly] = out
		l.recordOutput(ly, out)
		if f != nil {
			fs = append(fs, f)
		}
		in = out
	}
	return fs, nil
}

// recordOutput appends ly's output once, in the order of the first pass.
func (l *lowerer) recordOutput(ly *spec.Layer, out *Buffer) {
	for _, o := range l.p.Outputs {
		if o.ID == ly.ID {
			return
		}
	}
	l.p.Outputs = append(l.p.Outputs, LayerOut{ID: ly.ID, Buf: out})
}

// backward lowers the reverse sweep of a sequence (Algorithm 3).
func (l *lowerer) backward(ls []*spec.Layer, fs []*Func) []*Func {
	for i := len(ls) - 1; i >= 0; i-- {
		ly := ls[i]
		if ly.Kind == spec.Residual && len(ly.Body) > 0 {
			// f's output gradient is the residual's own: Res(z) = z + f(z).
			body := ly.Body[len(ly.Body)-1]
			l.grad[l.out[body]] = l.gradOf(l.out[ly])
			fs = l.backward(ly.Body, fs)
		}
		if f := l.layerBackward(ly); f != nil {
			fs = append(fs, f)
		}
	}
	return fs
}

func (l *lowerer) lowerLoss() {
	out := l.p.Output
	l.p.Loss = l.buf("loss", 1)
	all := View{Buf: out, Len: out.Size}
	doc := lossDocs[l.m.Loss]
	g := l.gradOf(out)
	// Cross-entropy's gradient is softmax(t) − e_y: the loss, which computes
	// every e^(t − max t) for its log Σ exp t, leaves them in the gradient's
	// buffer with each example's 1/(B·Σ), and the gradient scales them: one
	// exponential per logit, not two.
	var scale, exps View
	logits := all // what the gradient reads: the logits, or (cross-entropy) none
	if l.m.Loss == spec.CrossEntropy {
		scale, exps, logits = whole(l.buf("lossScale", l.m.Batch)), View{Buf: g, Len: g.Size}, View{}
	}
	// Layer functions are ID+"Forward"/"Backward", so these names cannot clash.
	l.p.LossFwd = &Func{Name: "computeLoss", Dir: LossFwd, Doc: doc[0], Blocks: []Block{{Ops: []*Op{{
		Kind: OpLoss, Loss: l.m.Loss, Writes: []View{{Buf: l.p.Loss, Len: 1}, scale, exps}, Reads: []View{all},
	}}}}}
	l.p.LossBwd = &Func{Name: "lossGradient", Dir: LossBwd, Doc: doc[1], Blocks: []Block{{Ops: []*Op{{
		Kind: OpLossGrad, Loss: l.m.Loss, Writes: []View{{Buf: g, Len: g.Size}}, Reads: []View{logits, scale},
	}}}}}
}

var lossDocs = map[spec.LossKind][2]string{
	spec.MSE:          {"J = mean over the batch of ½‖h − y‖² (7.1), (7.2)", "∂J/∂h = (h − y)/B (7.1)"},
	spec.Logistic:     {"J = mean of ℓ_logistic(t, y) (7.4), stable: max(t,0) − t·y + log(1+e^−|t|)", "∂J/∂t = (g(t) − y)/B (7.70)"},
	spec.CrossEntropy: {"J = mean of −log softmax(t)_y (7.6), by log-sum-exp", "∂J/∂t = (softmax(t) − e_y)/B (7.71)"},
}

// byName lists a set's values in the order of their names.
func byName[T any](seen map[string]T) []T {
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]T, len(names))
	for i, n := range names {
		out[i] = seen[n]
	}
	return out
}
