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
	for name, want := range map[string]int{"r3_resnet.nn": 8, "r4_digits.nn": 2, "r5_signal.nn": 2, "allops.nn": 1, "nobias": 0} {
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
