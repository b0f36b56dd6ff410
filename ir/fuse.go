package ir

import "github.com/nngen/nngen/spec"

// Fuse fuses a relu into the layer before it where that layer ends
// by adding its bias to the relu's input: z += b and a = max(z, 0) become
// a = max(z + b, 0), one OpBiasRelu, one pass that reads z and writes a.
// z keeps the product without the bias: writing it back measured 2.6× the
// pass's time on R5's convolutions (1 MB a layer for the batch), and nothing
// reads it after (the relu's backward reads a, GradFromOutput); the layer's
// output for nngen verify is z plus the bias (LayerOut.Bias). A z that any
// other op reads is not fused. The relu's forward function disappears; the
// fused one names it in Fused. Compile verifies the program afterwards.
func Fuse(p *Program) {
	readers := zReaders(p)
	p.Forward = fuseFuncs(p.Forward, readers, p.Outputs)
	p.Forward1 = fuseFuncs(p.Forward1, readers, nil)
}

// zReaders counts the ops of every pass that read each buffer, but for
// bias adds and relus: those Fuse folds together.
func zReaders(p *Program) map[*Buffer]int {
	n := map[*Buffer]int{}
	p.eachOp(func(op *Op) {
		if op.Kind == OpBias || op.Kind == OpAct && op.Act.Kind == spec.ReLU {
			return
		}
		for _, v := range op.reads() {
			if v.Buf != nil {
				n[v.Buf]++
			}
		}
	})
	return n
}

func fuseFuncs(fs []*Func, readers map[*Buffer]int, outs []LayerOut) []*Func {
	var out []*Func
	for _, f := range fs {
		if n := len(out); n > 0 && fuse(out[n-1], f, readers, outs) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// fuse folds relu function f into prev if prev's last op adds the bias to
// exactly the view f's relu reads, and no other op of any pass reads z.
func fuse(prev, f *Func, readers map[*Buffer]int, outs []LayerOut) bool {
	act := soleOp(f)
	if act == nil || act.Kind != OpAct || act.Act.Kind != spec.ReLU || prev.Fused != nil || len(prev.Blocks) == 0 {
		return false
	}
	last := &prev.Blocks[len(prev.Blocks)-1]
	if last.Batch != 0 || len(last.Ops) == 0 {
		return false
	}
	bias := last.Ops[len(last.Ops)-1]
	z := bias.Writes[0]
	if bias.Kind != OpBias || z != act.Reads[0] || readers[z.Buf] > 0 {
		return false
	}
	op := &Op{Kind: OpBiasRelu, Act: act.Act, Layer: bias.Layer, Dims: bias.Dims,
		Writes: []View{act.Writes[0]}, Reads: []View{z, bias.Reads[0]}}
	last.Ops[len(last.Ops)-1] = op
	for i := range outs {
		if outs[i].Buf == z.Buf {
			outs[i].Bias = op
		}
	}
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
