package ir

import (
	"fmt"

	"github.com/nngen/nngen/spec"
)

// all is the first nb examples of a buffer holding per elements an example.
func all(b *Buffer, nb, per int) View { return View{Buf: b, Len: nb * per} }

// whole is every element of a buffer.
func whole(b *Buffer) View { return View{Buf: b, Len: b.Size} }

// each is one example of a buffer, moving with the batch loop.
func each(b *Buffer, per int) View { return View{Buf: b, Len: per, PerExample: true} }

// layerForward lowers one layer's forward pass on nb examples and returns
// its function (nil when it computes nothing) and its output buffer.
func (l *lowerer) layerForward(ly *spec.Layer, in *Buffer, nb int) (*Func, *Buffer, error) {
	B := l.m.Batch
	if ly.Kind == spec.Flatten {
		return nil, in, nil // same layout, channel-major: the output is the input
	}
	out := l.buf(ly.ID+"Out", B*ly.Out.Size())
	dir, suffix := Forward, "Forward"
	if l.p.Forward != nil { // the batched pass is done: this is the batch-1 one
		dir, suffix = Forward1, "Forward1"
	}
	f := &Func{Name: ly.ID + suffix, Layer: ly, Dir: dir}
	inV, outV := all(in, nb, ly.In.Size()), all(out, nb, ly.Out.Size())
	switch {
	case ly.Kind == spec.Dense:
		f.Doc = "z = W·a + b (7.35), as Z = A·Wᵀ over the batch (7.84)"
		f.Blocks = l.denseForward(ly, inV, outV, nb)
	case ly.Kind.IsActivation():
		f.Doc = actDocs[ly.Kind][0]
		f.Blocks = []Block{{Ops: []*Op{{Kind: OpAct, Act: activation(ly), Layer: ly, Writes: []View{outV}, Reads: []View{inV}}}}}
	case ly.Kind == spec.LayerNorm:
		f.Doc = "LN(z) = β + γ·(z − μ̂)/σ̂ (7.41), σ̂ = sqrt(var + eps)"
		f.Blocks = l.layerNormForward(ly, inV, outV, nb)
	case ly.Kind == spec.Conv1D || ly.Kind == spec.Conv2D:
		f.Doc = convDoc(ly) + " by im2col and one matrix product per example"
		if convOf(ly).Direct() {
			f.Doc = convDoc(ly) + " as one product per example reading the padded input through its window (direct convolution)"
		}
		f.Blocks = l.convForward(ly, in, out, nb)
	case ly.Kind.IsPool():
		f.Doc = poolDocs(ly)[0]
		f.Blocks = l.poolForward(ly, inV, outV, nb)
	case ly.Kind == spec.Residual:
		f.Doc = "Res(z) = z + f(z) (7.38)"
		body := in
		if len(ly.Body) > 0 {
			body = l.out[ly.Body[len(ly.Body)-1]]
		}
		f.Blocks = []Block{{Ops: []*Op{{Kind: OpAdd, Layer: ly, Writes: []View{outV},
			Reads: []View{inV, all(body, nb, ly.Out.Size())}}}}}
	default:
		return nil, nil, fmt.Errorf("%s: cannot lower layer kind %s", ly.Pos, ly.Kind)
	}
	return f, out, nil
}

func convDoc(ly *spec.Layer) string {
	if ly.Kind == spec.Conv1D {
		return "Conv1D(z)_i = Σ_j Conv1D-S_ij(z_j) + b_i (7.48)–(7.50)"
	}
	return "Conv2D(z)_i = Σ_j Conv2D-S_ij(z_j) + b_i (7.51)"
}

var actDocs = map[spec.Kind][2]string{
	spec.ReLU:      {"a = max{z, 0} (7.20)", "∂J/∂z = 1{z > 0} ⊙ ∂J/∂a (7.69)"},
	spec.Sigmoid:   {"a = 1/(1 + e^−z) (7.24)", "∂J/∂z = a(1 − a) ⊙ ∂J/∂a (7.69)"},
	spec.Tanh:      {"a = tanh z (7.25)", "∂J/∂z = (1 − a²) ⊙ ∂J/∂a (7.69)"},
	spec.GELU:      {"a = (z/2)(1 + erf(z/√2)) (7.27)", "∂J/∂z = (Φ(z) + z·φ(z)) ⊙ ∂J/∂a (7.69)"},
	spec.LeakyReLU: {"a = max{z, γz} (7.26)", "∂J/∂z = (1 if z > 0 else γ) ⊙ ∂J/∂a (7.69)"},
	spec.Softplus:  {"a = (1/β) log(1 + e^βz) (7.28)", "∂J/∂z = g(βz) ⊙ ∂J/∂a (7.69)"},
}

func (l *lowerer) denseForward(ly *spec.Layer, in, out View, nb int) []Block {
	n, k := ly.Units, ly.In.Size()
	ops := []*Op{{Kind: OpMatmul, Layer: ly, Writes: []View{out},
		Reads:  []View{in, whole(l.param(ly, spec.RoleW))},
		Matmul: Matmul{DType: l.m.DType, M: nb, N: n, K: k, TransB: true, Batched: nb > 1}}}
	if ly.Bias {
		ops = append(ops, &Op{Kind: OpBias, Layer: ly, Writes: []View{out},
			Reads: []View{whole(l.param(ly, spec.RoleB))}, Dims: []int{nb, n, 1}})
	}
	return []Block{{Ops: ops}}
}

func (l *lowerer) layerNormForward(ly *spec.Layer, in, out View, nb int) []Block {
	F, B := ly.In.Size(), l.m.Batch
	xhat, sigma := l.buf(ly.ID+"Xhat", B*F), l.buf(ly.ID+"Sigma", B)
	l.saved[ly] = &saved{xhat: xhat, sigma: sigma}
	return []Block{{Ops: []*Op{{Kind: OpLayerNorm, Eps: ly.Eps, Layer: ly, Dims: []int{nb, F},
		Writes: []View{out, all(xhat, nb, F), all(sigma, nb, 1)},
		Reads:  []View{in, whole(l.param(ly, spec.RoleGamma)), whole(l.param(ly, spec.RoleBeta))},
	}}}}
}

// convGeom returns the rows C·K(·K) and columns Lout(·Wout) of the im2col matrix.
func convGeom(ly *spec.Layer) (ck, lout int) {
	c := convOf(ly)
	return c.Rows(), c.Cols()
}

// convOf is a conv layer's geometry.
func convOf(ly *spec.Layer) *Conv {
	return &Conv{C: ly.In[0], K: ly.Kernel, Stride: ly.Stride, Pad: ly.PadAmount(), In: ly.In[1:], Out: ly.Out[1:]}
}

// activation is an activation layer's function and parameters.
func activation(ly *spec.Layer) Activation {
	return Activation{Kind: ly.Kind, Gamma: ly.Alpha, Beta: ly.Beta}
}

// convLayout is the op that lays one example out in cols for a
// convolution's products, the view of cols they read and the window they
// read it through: with direct (Conv.Direct) the padded example
// (OpPad), read through the convolution's window, else the im2col matrix.
func convLayout(ly *spec.Layer, in, cols *Buffer, direct bool) (*Op, View, Window) {
	c := convOf(ly)
	if direct {
		padded := View{Buf: cols, Len: c.Padded()}
		return &Op{Kind: OpPad, Conv: c, Layer: ly, Writes: []View{padded}, Reads: []View{each(in, ly.In.Size())}}, padded, c.Window()
	}
	return &Op{Kind: OpIm2col, Conv: c, Layer: ly, Writes: []View{whole(cols)}, Reads: []View{each(in, ly.In.Size())}}, whole(cols), Window{}
}

func (l *lowerer) convForward(ly *spec.Layer, in, out *Buffer, nb int) []Block {
	ck, lout := convGeom(ly)
	cols := l.buf(ly.ID+"Cols", int(ly.Im2colSize())) // ck·lout
	l.saved[ly] = &saved{cols: cols}
	n := ly.Units
	layout, colsView, win := convLayout(ly, in, cols, convOf(ly).Direct())
	loop := Block{Batch: nb, Ops: []*Op{layout,
		{Kind: OpMatmul, Layer: ly, Writes: []View{each(out, n*lout)},
			Reads:  []View{whole(l.param(ly, spec.RoleW)), colsView},
			Matmul: Matmul{DType: l.m.DType, M: n, N: lout, K: ck, Window: win}},
	}}
	bs := []Block{loop}
	if ly.Bias {
		bs = append(bs, Block{Ops: []*Op{{Kind: OpBias, Layer: ly, Writes: []View{all(out, nb, n*lout)},
			Reads: []View{whole(l.param(ly, spec.RoleB))}, Dims: []int{nb, n, lout}}}})
	}
	return bs
}
