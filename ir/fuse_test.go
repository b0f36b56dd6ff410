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
	// relu would leave it without the bias.
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

// checkFusedZ checks what a fused bias + relu leaves: its layer's output
// names the op whose bias z lacks, and no op but that one reads z.
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
	for _, op := range fused {
		z := op.Reads[0].Buf
		found := false
		for _, o := range p.Outputs {
			if o.Buf == z {
				found = true
				if o.Bias != op {
					t.Errorf("%s: layer %s's output %s does not name its fused bias", name, o.ID, z.Name)
				}
			}
		}
		if !found {
			t.Errorf("%s: no layer output is %s", name, z.Name)
		}
		for _, f := range p.Funcs() {
			for _, b := range f.Blocks {
				for _, other := range b.Ops {
					if other.Kind == OpBiasRelu {
						continue
					}
					for _, v := range other.reads() {
						if v.Buf == z {
							t.Errorf("%s: %s reads %s, which a fused relu left without its bias", name, other.Kind, z.Name)
						}
					}
				}
			}
		}
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
