package main

import (
	"io"
	"math"
	"os"
	"testing"

	"github.com/nngen/nngen/examples/pytorch/torchnet"
	"github.com/nngen/nngen/weights"
)

const dir = "../../testdata/torch/"

func read(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(dir + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestMatchesPyTorch runs the embedded PyTorch weights on PyTorch's inputs:
// the logits agree within 1e-5 of the largest.
func TestMatchesPyTorch(t *testing.T) {
	for _, path := range []string{"generic", "avx2", "avx512"} {
		if torchnet.SetKernels(path) != nil {
			continue
		}
		rel, err := compare(torchnet.Trained(), dir+"torchnet_io.safetensors", io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: largest |Δ| relative to the largest logit: %.3g", path, rel)
		if rel > 1e-5 {
			t.Errorf("%s: outputs differ from PyTorch's by %.3g relative, want ≤ 1e-5", path, rel)
		}
	}
	torchnet.SetKernels("auto")
}

// TestStateDictForms reads the same weights as PyTorch wrote them in F32,
// F64, under nn.Sequential's and DistributedDataParallel's names (exactly),
// and in F16 and BF16 (each value rounded as the format rounds).
func TestStateDictForms(t *testing.T) {
	want := torchnet.Trained().Params
	for _, c := range []struct {
		file string
		rel  float64 // bound on |got − want| / |want| per element
	}{
		{"torchnet_f32.safetensors", 0}, {"torchnet_f64.safetensors", 0},
		{"torchnet_sequential.safetensors", 0}, {"torchnet_ddp.safetensors", 0},
		{"torchnet_f16.safetensors", 0x1p-11}, {"torchnet_bf16.safetensors", 0x1p-8},
	} {
		var p torchnet.Params
		if err := p.UnmarshalSafetensors(read(t, c.file)); err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		got, exp := values(t, &p), values(t, &want)
		for name, w := range exp {
			for i, v := range w {
				g := got[name][i]
				tiny := 0x1p-24 // F16's subnormal step
				if d := math.Abs(g - v); d > c.rel*math.Abs(v)+tiny*b2f(c.rel > 0) {
					t.Errorf("%s: %s[%d] = %v, want %v (bound %g relative)", c.file, name, i, g, v, c.rel)
					break
				}
			}
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// values is every tensor of p, through its own safetensors export.
func values(t *testing.T, p *torchnet.Params) map[string][]float64 {
	t.Helper()
	data, err := p.MarshalSafetensors()
	if err != nil {
		t.Fatal(err)
	}
	ts, err := weights.ReadSafetensors(data)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]float64{}
	for name, v := range ts {
		out[name] = v.Values
	}
	return out
}

// TestExportExact: nngen's export of PyTorch's weights holds PyTorch's
// tensors bit for bit, under the same names and shapes, and reads back to
// the same parameters.
func TestExportExact(t *testing.T) {
	m := torchnet.Trained()
	ours, err := m.MarshalSafetensors()
	if err != nil {
		t.Fatal(err)
	}
	a, err := weights.ReadSafetensors(ours)
	if err != nil {
		t.Fatal(err)
	}
	b, err := weights.ReadSafetensors(read(t, "torchnet_f32.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("export has %d tensors, PyTorch's file %d", len(a), len(b))
	}
	for name, tb := range b {
		ta, ok := a[name]
		if !ok || len(ta.Values) != len(tb.Values) || len(ta.Shape) != len(tb.Shape) {
			t.Errorf("tensor %s: missing or shaped %v, want %v", name, ta.Shape, tb.Shape)
			continue
		}
		for i := range tb.Values {
			if math.Float64bits(ta.Values[i]) != math.Float64bits(tb.Values[i]) {
				t.Errorf("tensor %s[%d] = %v, PyTorch's %v", name, i, ta.Values[i], tb.Values[i])
				break
			}
		}
	}
	var p torchnet.Params
	if err := p.UnmarshalSafetensors(ours); err != nil || p != m.Params {
		t.Errorf("export → import: err %v, equal %v", err, p == m.Params)
	}
}
