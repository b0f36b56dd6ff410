package ref

import "github.com/nngen/nngen/spec"

// Trace is the forward pass (F) of a batch: every intermediate u^[i],
// kept for the backward pass and for comparison with generated code.
type Trace struct {
	IDs     []string               // layer IDs in execution order (residual bodies before their residual)
	Outputs map[string][][]float64 // per layer ID, per example: the layer's output, flattened
	Logits  [][]float64            // the last layer's output per example

	inputs map[string][][]float64 // per layer ID: its input, for the backward functions
}

// Forward runs the network on a batch; x[b] is one example flattened
// row-major.
func (n *Net) Forward(x [][]float64) *Trace {
	tr := &Trace{Outputs: map[string][][]float64{}, inputs: map[string][][]float64{}}
	tr.Logits = n.forwardSeq(n.Model.Layers, x, tr)
	return tr
}

// forwardSeq computes u^[k] = M_k(u^[k-1]) for a sequence of layers (F).
func (n *Net) forwardSeq(ls []*spec.Layer, z [][]float64, tr *Trace) [][]float64 {
	for _, l := range ls {
		z = n.forwardLayer(l, z, tr)
	}
	return z
}

func (n *Net) forwardLayer(l *spec.Layer, z [][]float64, tr *Trace) [][]float64 {
	var out [][]float64
	if l.Kind == spec.Residual {
		out = addBatch(z, n.forwardSeq(l.Body, z, tr)) // Res(z) = z + f(z) (7.38)
	} else {
		mod, p := modules[l.Kind], n.LayerParams(l, n.Params)
		out = make([][]float64, len(z))
		for b := range z {
			out[b] = mod.forward(l, p, z[b])
		}
	}
	tr.IDs = append(tr.IDs, l.ID)
	tr.Outputs[l.ID] = out
	tr.inputs[l.ID] = z
	return out
}

// addBatch returns a + b element-wise, example by example.
func addBatch(a, b [][]float64) [][]float64 {
	out := make([][]float64, len(a))
	for i := range a {
		out[i] = make([]float64, len(a[i]))
		for j := range a[i] {
			out[i][j] = a[i][j] + b[i][j]
		}
	}
	return out
}
