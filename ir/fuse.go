package ir

import "github.com/nngen/nngen/spec"

// Fuse fuses a relu into the layer before it where that layer ends
// by adding its bias to the relu's input: z += b and a = max(z, 0) become one
// OpBiasRelu, one pass over z instead of two. z is still written, as the
// relu's backward reads it. The relu's forward function disappears; the
// fused one names it in Fused. Compile verifies the program afterwards.
func Fuse(p *Program) {
	p.Forward = fuseFuncs(p.Forward)
	p.Forward1 = fuseFuncs(p.Forward1)
}

func fuseFuncs(fs []*Func) []*Func {
	var out []*Func
	for _, f := range fs {
		if n := len(out); n > 0 && fuse(out[n-1], f) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// fuse folds relu function f into prev if prev's last op adds the bias to
// exactly the view f's relu reads.
func fuse(prev, f *Func) bool {
	act := soleOp(f)
	if act == nil || act.Kind != OpAct || act.Act.Kind != spec.ReLU || prev.Fused != nil || len(prev.Blocks) == 0 {
		return false
	}
	last := &prev.Blocks[len(prev.Blocks)-1]
	if last.Batch != 0 || len(last.Ops) == 0 {
		return false
	}
	bias := last.Ops[len(last.Ops)-1]
	if bias.Kind != OpBias || bias.Writes[0] != act.Reads[0] {
		return false
	}
	last.Ops[len(last.Ops)-1] = &Op{Kind: OpBiasRelu, Act: act.Act, Layer: bias.Layer, Dims: bias.Dims,
		Writes: []View{bias.Writes[0], act.Writes[0]}, Reads: bias.Reads}
	prev.Fused = f.Layer
	return true
}

// soleOp is f's only op, or nil.
func soleOp(f *Func) *Op {
	if len(f.Blocks) != 1 || f.Blocks[0].Batch != 0 || len(f.Blocks[0].Ops) != 1 {
		return nil
	}
	return f.Blocks[0].Ops[0]
}
