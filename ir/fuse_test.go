package ir

import (
	"testing"

	"github.com/nngen/nngen/spec"
)

// TestFuseBiasRelu checks which relus are fused: every one right after a
// biased dense or conv, and not one after a dense without bias.
func TestFuseBiasRelu(t *testing.T) {
	ms := loadSpecs(t)
	src := "model nobias\ninput 40\nbatch 2\ndense 40 bias=false\nrelu\ndense 1\nloss mse\noptimizer sgd lr=0.1\n"
	m, err := spec.ParseAndCheck("nobias.nn", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ms["nobias"] = m
	// A residual block's sum reads its input, the dense layer's z: a fused
	// relu would never write it.
	src = "model zread\ninput 40\nbatch 2\ndense 40\nresidual {\n\trelu\n}\ndense 1\nloss mse\noptimizer sgd lr=0.1\n"
	if ms["zread"], err = spec.ParseAndCheck("zread.nn", []byte(src)); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]int{"r3_resnet.nn": 8, "r4_digits.nn": 2, "r5_signal.nn": 2, "allops.nn": 1, "nobias": 0, "zread": 0} {
		p, err := Lower(ms[name])
		if err == nil {
			Fuse(p)
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(p); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		for _, fs := range [][]*Func{p.Forward, p.Forward1} {
			fused, relus := 0, 0
			for _, f := range fs {
				if f.Fused != nil {
					fused++
				}
				if f.Layer.Kind == spec.ReLU {
					relus++
				}
			}
			if fused != want {
				t.Errorf("%s: %d fused relus, want %d", name, fused, want)
			}
			if n := countReLU(ms[name]); relus+fused != n {
				t.Errorf("%s: %d relu functions left and %d fused, want %d in all", name, relus, fused, n)
			}
		}
		checkFusedZ(t, name, p)
	}
}

// checkFusedZ checks what a fused bias + relu leaves: it works in place on
// the relu's output, which its layer's output names (LayerOut.Relu), and
// the layer's z is gone from the workspace.
func checkFusedZ(t *testing.T, name string, p *Program) {
	t.Helper()
	var fused []*Op
	for _, f := range p.Forward {
		for _, b := range f.Blocks {
			for _, op := range b.Ops {
				if op.Kind == OpBiasRelu {
					fused = append(fused, op)
				}
			}
		}
	}
	relus := 0
	for _, o := range p.Outputs {
		if o.Relu {
			relus++
		}
	}
	if relus != len(fused) {
		t.Errorf("%s: %d layer outputs seen through their relu, want %d", name, relus, len(fused))
	}
	for _, op := range fused {
		if op.Reads[0] != op.Writes[0] {
			t.Errorf("%s: fused bias + relu reads %s and writes %s, want in place", name, op.Reads[0].Buf.Name, op.Writes[0].Buf.Name)
		}
		found := false
		for _, o := range p.Outputs {
			found = found || o.Relu && o.Buf == op.Writes[0].Buf
		}
		if !found {
			t.Errorf("%s: no layer output is seen through %s", name, op.Writes[0].Buf.Name)
		}
	}
	inPlace := 0
	for _, f := range p.Backward {
		for _, b := range f.Blocks {
			for _, op := range b.Ops {
				if op.Kind == OpActGrad && op.Writes[0].Buf == op.Reads[1].Buf {
					inPlace++
				}
			}
		}
	}
	if len(p.Dropped) != len(fused)+inPlace {
		t.Errorf("%s: %d buffers dropped, want %d z and %d ∂J/∂z", name, len(p.Dropped), len(fused), inPlace)
	}
	for _, z := range p.Dropped {
		for _, w := range p.Work {
			if w == z {
				t.Errorf("%s: dropped %s is still in the workspace", name, z.Name)
			}
		}
		p.eachOp(func(op *Op) {
			for _, v := range append(append([]View(nil), op.Reads...), op.Writes...) {
				if v.Buf == z {
					t.Errorf("%s: %s uses dropped %s", name, op.Kind, z.Name)
				}
			}
		})
	}
}

func countReLU(m *spec.Model) int {
	n := 0
	m.Walk(func(l *spec.Layer) {
		if l.Kind == spec.ReLU {
			n++
		}
	})
	return n
}

// TestShortChannelsBiasRelu: a convolution whose channels are short (a
// 4×4 output, 16 a channel) still adds its bias and takes the relu in one
// call per example, for both of its passes.
func TestShortChannelsBiasRelu(t *testing.T) {
	src := "model short\ninput 16x4x4\nbatch 4\nconv2d 64 kernel=3\nrelu\nflatten\ndense 3\nloss mse\noptimizer sgd lr=0.1\n"
	m, err := spec.ParseAndCheck("short.nn", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := Elementwise{Op: AddChanRelu, DType: spec.Float32, N: 16, Chans: 64}
	if _, ok := p.Plan.ElemOf(want); !ok {
		t.Errorf("no %s among the kernels: %v", want.Key(), p.Plan.Elems)
	}
}

// TestFuseGrads checks where an activation's gradient works in place on
// ∂J/∂a: R5's two relus (the first inside conv1d2's batch loop, right
// after the product that writes each example's ∂J/∂a), and not R3's relu
// that ends a residual body, whose ∂J/∂a the residual's sum reads too.
func TestFuseGrads(t *testing.T) {
	ms := loadSpecs(t)
	for name, want := range map[string]map[string]string{
		"r5_signal.nn": {"relu2": "in place", "relu1": "in conv1d2Backward"},
		"r3_resnet.nn": {"relu8": "apart", "relu7": "in place", "relu2": "in place"},
	} {
		p, err := Compile(ms[name], Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, f := range p.Backward {
			for _, b := range f.Blocks {
				for _, op := range b.Ops {
					if op.Kind != OpActGrad {
						continue
					}
					switch {
					case op.Writes[0].Buf != op.Reads[1].Buf:
						got[op.Layer.ID] = "apart"
					case f.Layer != op.Layer && b.Batch == p.Batch && f.Fused == op.Layer:
						got[op.Layer.ID] = "in " + f.Name
					case f.Layer == op.Layer:
						got[op.Layer.ID] = "in place"
					default:
						got[op.Layer.ID] = "misplaced in " + f.Name
					}
				}
			}
		}
		for id, w := range want {
			if got[id] != w {
				t.Errorf("%s: %s's gradient %q, want %q", name, id, got[id], w)
			}
		}
	}
}
