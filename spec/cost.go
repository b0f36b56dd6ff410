package spec

// Costs per example, as `nngen check` prints them and the benchmark uses them
// for its floors. Conventions (documented in the README):
//   - a multiply-add counts 2 FLOPs; any other elementwise operation,
//     transcendental or not, counts 1;
//   - backward FLOPs are those of the gradients to the input and to the
//     parameters together, except that the first layer computes no
//     gradient to the network's input;
//   - a residual's row includes its body;
//   - pooling counts one FLOP per window element read per output, forward
//     and backward (pool.go).

// Cost is parameter count and FLOPs for one example.
type Cost struct {
	Params   int64
	Forward  int64
	Backward int64
}

func (c Cost) add(d Cost) Cost {
	return Cost{c.Params + d.Params, c.Forward + d.Forward, c.Backward + d.Backward}
}

// LayerCost is one row of the cost table.
type LayerCost struct {
	Layer *Layer // nil for the loss row
	Depth int    // nesting depth: 0 at top level, 1 inside a residual, ...
	Cost
}

// LayerCosts returns one row per layer in spec order, nested layers after
// their residual, followed by a row for the loss.
func (m *Model) LayerCosts() []LayerCost {
	var rows []LayerCost
	layerCosts(m.Layers, 0, &rows)
	if first := rows[0].Layer; first.Kind == Dense || first.Kind == Conv1D || first.Kind == Conv2D {
		rows[0].Backward -= first.macs() // nobody needs ∂J/∂x
	} else if first.Kind.IsPool() {
		rows[0].Backward = 0 // its only gradient would be ∂J/∂x
	}
	n := int64(m.Output.Size())
	return append(rows, LayerCost{Cost: Cost{Forward: 4 * n, Backward: 2 * n}})
}

func layerCosts(ls []*Layer, depth int, rows *[]LayerCost) Cost {
	var sum Cost
	for _, l := range ls {
		i := len(*rows)
		*rows = append(*rows, LayerCost{Layer: l, Depth: depth})
		c := l.ownCost()
		if l.Kind == Residual {
			c = c.add(layerCosts(l.Body, depth+1, rows))
		}
		(*rows)[i].Cost = c
		sum = sum.add(c)
	}
	return sum
}

// Total is the cost of the whole network and its loss, per example.
func (m *Model) Total() Cost {
	var t Cost
	for _, r := range m.LayerCosts() {
		if r.Depth == 0 {
			t = t.add(r.Cost)
		}
	}
	return t
}

// ParamBytes is the size of all parameters in the model's dtype.
func (m *Model) ParamBytes() int64 {
	return m.Total().Params * int64(m.DType.Size())
}

// Size is the width of one element in bytes.
func (d DType) Size() int {
	if d == Float64 {
		return 8
	}
	return 4
}

// macs is the FLOPs of a dense or convolution layer's product: every
// output element is a dot product of length fanIn (7.35, 7.50).
func (l *Layer) macs() int64 {
	return 2 * int64(l.Out.Size()) * int64(l.Params[0].Shape[1:].Size())
}

// ownCost is the cost of the layer itself, excluding a residual's body.
func (l *Layer) ownCost() Cost {
	in, out := int64(l.In.Size()), int64(l.Out.Size())
	var p int64
	for _, q := range l.Params {
		p += int64(q.Shape.Size())
	}
	switch l.Kind {
	case Dense, Conv1D, Conv2D:
		mac := l.macs()
		c := Cost{Params: p, Forward: mac, Backward: 2 * mac}
		if l.Bias {
			c.Forward += out  // + b
			c.Backward += out // ∂J/∂b sums v (7.66)
		}
		return c
	case LayerNorm:
		// mean, variance, normalise, affine; backward two reductions and the combination.
		return Cost{Params: p, Forward: 7 * in, Backward: 10 * in}
	case Residual:
		return Cost{Forward: out, Backward: out} // z + f(z); the gradient adds too
	case Flatten:
		return Cost{}
	case MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D:
		return l.poolCost()
	}
	// Activations: one operation forward, derivative and product backward.
	return Cost{Forward: out, Backward: 2 * out}
}
