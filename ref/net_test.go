package ref

import (
	"testing"

	"github.com/nngen/nngen/weightinit"
)

func TestNewInitAndParamOf(t *testing.T) {
	m := parseNN(t, "4", "dense 3 name=enc", "relu", "layernorm affine=vector", "dense 2 bias=false")
	n := New(m)
	for i, p := range n.Params {
		if len(p) != m.Params[i].Shape.Size() {
			t.Errorf("%s has %d elements, want %d", m.Params[i].Name, len(p), m.Params[i].Shape.Size())
		}
		for _, e := range p {
			if e != 0 {
				t.Fatalf("New: %s not zero", m.Params[i].Name)
			}
		}
	}
	n.Init(42)
	assertSame(t, "Init", n.Params, weightinit.Values(m, 42))
	if got, want := len(n.ParamOf("EncW")), 12; got != want {
		t.Errorf("ParamOf(EncW) has %d elements, want %d", got, want)
	}
	if g := n.ParamOf("Layernorm1Gamma"); len(g) != 3 || g[0] != 1 {
		t.Errorf("ParamOf(Layernorm1Gamma) = %v, want three ones", g)
	}
	if n.ParamOf("Dense2B") != nil || n.ParamIndex("Dense2B") != -1 {
		t.Error("ParamOf found a bias for a bias=false layer")
	}
	if l := m.Layers[0]; len(n.LayerParams(l, n.Params)) != 2 || &n.LayerParams(l, n.Params)[1][0] != &n.ParamOf("EncB")[0] {
		t.Error("LayerParams(enc) does not alias EncW, EncB")
	}
}
