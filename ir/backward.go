package ir

import "github.com/nngen/nngen/spec"

// layerBackward lowers one layer's backward pass over the whole batch: the
// input gradient (skipped for the network input, which needs none) and, as
// soon as the output gradient is known, the parameter gradients (§7.4.2).
func (l *lowerer) layerBackward(ly *spec.Layer) *Func {
	if ly.Kind == spec.Flatten {
		return nil // its gradient buffer is its input's
	}
	in, out := l.in[ly], l.out[ly]
	gout, gin := l.gradOf(out), l.gradOf(in)
	f := &Func{Name: ly.ID + "Backward", Layer: ly, Dir: Backward}
	switch {
	case ly.Kind == spec.Dense:
		f.Doc = "∂J/∂W = vᵀ·a (7.65), ∂J/∂b = Σ v (7.66), ∂J/∂a = v·W (7.63), v = ∂J/∂z"
		f.Blocks = l.denseBackward(ly, in, gout, gin)
	case ly.Kind.IsActivation():
		if gin == nil {
			return nil
		}
		f.Doc = actDocs[ly.Kind][1]
		src := in
		if GradFromOutput(ly.Kind) {
			src = out
		}
		f.Blocks = []Block{{Ops: []*Op{{Kind: OpActGrad, Act: activation(ly), Layer: ly, Writes: []View{whole(gin)},
			Reads: []View{whole(src), whole(gout)}}}}}
	case ly.Kind == spec.LayerNorm:
		f.Doc = "∂J/∂z = (g − mean(g) − x̂·mean(g⊙x̂))/σ̂ with g = γ⊙∂J/∂out; ∂J/∂γ = Σ ∂J/∂out⊙x̂; ∂J/∂β = Σ ∂J/∂out (7.41)"
		f.Blocks = l.layerNormBackward(ly, gout, gin)
	case ly.Kind == spec.Conv1D || ly.Kind == spec.Conv2D:
		f.Doc = "∂J/∂W += v·colsᵀ, ∂J/∂b = Σ v, ∂J/∂z = col2im(Wᵀ·v) per example, v = ∂J/∂out"
		f.Blocks = l.convBackward(ly, in, gout, gin)
	case ly.Kind.IsPool():
		if gin == nil {
			return nil
		}
		f.Doc = poolDocs(ly)[1]
		f.Blocks = l.poolBackward(ly, in, gout, gin)
	case ly.Kind == spec.Residual:
		if gin == nil {
			return nil
		}
		f.Doc = "∂J/∂z = ∂J/∂out + B[f, z](∂J/∂out) (7.38)"
		op := &Op{Kind: OpAddTo, Layer: ly, Writes: []View{whole(gin)}, Reads: []View{whole(gout)}}
		if len(ly.Body) == 0 {
			op = &Op{Kind: OpAdd, Layer: ly, Writes: []View{whole(gin)}, Reads: []View{whole(gout), whole(gout)}}
		}
		f.Blocks = []Block{{Ops: []*Op{op}}}
	}
	return f
}

func (l *lowerer) denseBackward(ly *spec.Layer, in, gout, gin *Buffer) []Block {
	B, n, k := l.m.Batch, ly.Units, ly.In.Size()
	ops := []*Op{{Kind: OpMatmul, Layer: ly, Writes: []View{whole(l.paramGrad(ly, spec.RoleW))},
		Reads:  []View{whole(gout), whole(in)},
		Matmul: Matmul{DType: l.m.DType, M: n, N: k, K: B, TransA: true, Batched: B > 1}}}
	if ly.Bias {
		ops = append(ops, &Op{Kind: OpBiasGrad, Layer: ly, Writes: []View{whole(l.paramGrad(ly, spec.RoleB))},
			Reads: []View{whole(gout)}, Dims: []int{B, n, 1}})
	}
	if gin != nil {
		ops = append(ops, &Op{Kind: OpMatmul, Layer: ly, Writes: []View{whole(gin)},
			Reads:  []View{whole(gout), whole(l.param(ly, spec.RoleW))},
			Matmul: Matmul{DType: l.m.DType, M: B, N: k, K: n, Batched: B > 1}})
	}
	return []Block{{Ops: ops}}
}

func (l *lowerer) layerNormBackward(ly *spec.Layer, gout, gin *Buffer) []Block {
	B, F := l.m.Batch, ly.In.Size()
	op := &Op{Kind: OpLNGrad, Layer: ly, Dims: []int{B, F},
		Writes: []View{{}, whole(l.paramGrad(ly, spec.RoleGamma)), whole(l.paramGrad(ly, spec.RoleBeta))},
		Reads:  []View{whole(gout), whole(l.saved[ly].xhat)},
	}
	if gin != nil { // σ and γ are needed only for the gradient to the input
		op.Writes[0] = whole(gin)
		op.Reads = append(op.Reads, whole(l.saved[ly].sigma), whole(l.param(ly, spec.RoleGamma)))
	}
	return []Block{{Ops: []*Op{op}}}
}

// MaxDotTaps is the most taps a direct convolution's weight gradient
// reads through its window: the dot form's tiles then hold one channel's
// taps, a column each, and AVX2's 16 registers take 9 columns and a row
// (package asm, planDot); bigger kernels' weight gradients use im2col.
const MaxDotTaps = 9

func (l *lowerer) convBackward(ly *spec.Layer, in, gout, gin *Buffer) []Block {
	B, n := l.m.Batch, ly.Units
	ck, lout := convGeom(ly)
	cols, gw := l.saved[ly].cols, l.paramGrad(ly, spec.RoleW)
	c := convOf(ly)
	// The weight gradient reads the padded example as the forward pass does
	// where its dot-form tiles take the taps (MaxDotTaps).
	direct := c.Direct() && c.Window().Taps <= MaxDotTaps
	var pre []Block
	var loop Block
	if direct && B > 1 && B*c.Padded() <= spec.MaxPaddedBatch {
		// The batch padded, then one product over it: C's tiles stay in
		// registers across the examples (Matmul.Examples).
		padded := l.buf(ly.ID+"Padded", B*c.Padded())
		pre = []Block{
			{Batch: B, Ops: []*Op{{Kind: OpPad, Conv: c, Layer: ly, Writes: []View{each(padded, c.Padded())}, Reads: []View{each(in, ly.In.Size())}}}},
			{Ops: []*Op{{Kind: OpMatmul, Layer: ly, Writes: []View{whole(gw)}, Reads: []View{whole(gout), whole(padded)},
				Matmul: Matmul{DType: l.m.DType, M: n, N: ck, K: lout, TransB: true, Accumulate: true, Window: c.Window(), Examples: B, Batched: true}}}},
		}
		loop = Block{Batch: B}
	} else {
		layout, colsView, win := convLayout(ly, in, cols, direct)
		loop = Block{Batch: B, Ops: []*Op{layout,
			{Kind: OpMatmul, Layer: ly, Writes: []View{whole(gw)}, Reads: []View{each(gout, n*lout), colsView},
				Matmul: Matmul{DType: l.m.DType, M: n, N: ck, K: lout, TransB: true, Accumulate: true, Window: win}},
		}}
	}
	if gin != nil {
		dcols := l.buf(ly.ID+"ColsGrad", int(ly.Im2colSize())) // ck·lout
		if op := l.convInputGrad(ly, gout, gin, dcols); op != nil {
			loop.Ops = append(loop.Ops, op...)
		} else {
			loop.Ops = append(loop.Ops,
				&Op{Kind: OpMatmul, Layer: ly, Writes: []View{whole(dcols)},
					Reads:  []View{whole(l.param(ly, spec.RoleW)), each(gout, n*lout)},
					Matmul: Matmul{DType: l.m.DType, M: ck, N: lout, K: n, TransA: true}},
				&Op{Kind: OpCol2im, Conv: convOf(ly), Layer: ly, Writes: []View{each(gin, ly.In.Size())}, Reads: []View{whole(dcols)}})
		}
	}
	bs := append([]Block{{Ops: []*Op{{Kind: OpZero, Layer: ly, Writes: []View{whole(gw)}}}}}, pre...)
	if len(loop.Ops) > 0 {
		bs = append(bs, loop)
	}
	if c.Direct() && !direct { // the forward pass left a padded example in cols: clear im2col's padding
		bs[0].Ops = append(bs[0].Ops, &Op{Kind: OpZero, Layer: ly, Writes: []View{whole(cols)}})
	}
	if ly.Bias {
		bs = append(bs, Block{Ops: []*Op{{Kind: OpBiasGrad, Layer: ly,
			Writes: []View{whole(l.paramGrad(ly, spec.RoleB))}, Reads: []View{whole(gout)}, Dims: []int{B, n, lout}}}})
	}
	return bs
}

// convInputGrad is a direct convolution's gradient to its input, when its
// output gradient padded for the transposed convolution fits in dcols:
// that padding, then one windowed product with the weight's taps mirrored
// (Window.Flip) straight into the input gradient, no col2im; nil otherwise.
func (l *lowerer) convInputGrad(ly *spec.Layer, gout, gin, dcols *Buffer) []*Op {
	c, n := convOf(ly), ly.Units
	t := c.Transposed(n)
	if !c.Direct() || !t.Direct() || t.Padded() > dcols.Size {
		return nil
	}
	padded, w := View{Buf: dcols, Len: t.Padded()}, t.Window()
	w.Flip = true
	_, lout := convGeom(ly)
	return []*Op{
		{Kind: OpPad, Conv: t, Layer: ly, Writes: []View{padded}, Reads: []View{each(gout, n*lout)}},
		{Kind: OpMatmul, Layer: ly, Writes: []View{each(gin, ly.In.Size())},
			Reads:  []View{whole(l.param(ly, spec.RoleW)), padded},
			Matmul: Matmul{DType: l.m.DType, M: c.C, N: product(c.In), K: n * c.Rows() / c.C, Window: w}},
	}
}
