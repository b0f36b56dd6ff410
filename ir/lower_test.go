package ir

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/nngen/nngen/spec"
)

func loadSpecs(t *testing.T) map[string]*spec.Model {
	t.Helper()
	paths, err := filepath.Glob("../testdata/specs/*.nn")
	if err != nil || len(paths) < 5 {
		t.Fatalf("want the reference specs, got %v (%v)", paths, err)
	}
	ms := map[string]*spec.Model{}
	for _, p := range paths {
		m, err := spec.Load(p)
		if err != nil {
			t.Fatalf("load %s: %v", p, err)
		}
		ms[filepath.Base(p)] = m
	}
	return ms
}

func TestLowerVerifies(t *testing.T) {
	for name, m := range loadSpecs(t) {
		p, err := Lower(m)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := Verify(p); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		n := 0
		m.Walk(func(*spec.Layer) { n++ })
		if len(p.Outputs) != n {
			t.Errorf("%s: %d layer outputs, want %d", name, len(p.Outputs), n)
		}
	}
}

func TestOutputsPostOrder(t *testing.T) {
	m := loadSpecs(t)["r3_resnet.nn"]
	p, err := Lower(m)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, o := range p.Outputs[:6] {
		ids = append(ids, o.ID)
	}
	want := "dense1 relu1 dense2 relu2 residual1 layernorm1"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("outputs %q, want %q", got, want)
	}
}

// TestVerifyCatches breaks lowered programs in the ways Verify must notice.
func TestVerifyCatches(t *testing.T) {
	m := loadSpecs(t)["r2_mnist.nn"]
	cases := map[string]func(p *Program){
		"before it is written": func(p *Program) { p.Forward = p.Forward[1:] },
		"operand":              func(p *Program) { p.Forward[0].Blocks[0].Ops[0].Matmul.K++ },
		"outside":              func(p *Program) { p.Forward[0].Blocks[0].Ops[0].Writes[0].Off = 1 },
		"never written":        func(p *Program) { p.Backward = p.Backward[:len(p.Backward)-1] },
		// lossGradient scales computeLoss's exponentials by its softmax scale.
		"lossgrad reads lossScale before it is written": func(p *Program) { p.LossFwd.Blocks[0].Ops[0].Writes[1] = View{} },
		"softmax scale has 31 elements":                 func(p *Program) { p.LossBwd.Blocks[0].Ops[0].Reads[1].Len = 31 },
		"lossgrad reads dense2OutGrad before it is written": func(p *Program) {
			p.LossFwd.Blocks[0].Ops[0].Writes[2] = View{}
		},
	}
	for want, breakIt := range cases {
		p, err := Lower(m)
		if err != nil {
			t.Fatal(err)
		}
		breakIt(p)
		if err := Verify(p); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("broken %q: Verify = %v", want, err)
		}
	}
}

func TestKernelsDistinctSorted(t *testing.T) {
	p, err := Lower(loadSpecs(t)["r2_mnist.nn"])
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, k := range p.Kernels() {
		names = append(names, k.Name())
	}
	want := "matmulNN32x128x10f32 matmulNT1x10x128f32 matmulNT1x128x784f32 matmulNT32x10x128f32 " +
		"matmulNT32x128x784f32 matmulTN10x128x32f32 matmulTN128x784x32f32"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("kernels\n%s\nwant\n%s", got, want)
	}
}

// TestVerifyPadsOnly: a pad's buffer written by another op, or by a pad of
// another geometry, is refused: the Pad kernels leave its borders as the
// zeroed workspace holds them (PadStep.Border).
func TestVerifyPadsOnly(t *testing.T) {
	m := loadSpecs(t)["r4_digits.nn"]
	pads := func(p *Program) []*Op {
		var out []*Op
		p.eachOp(func(op *Op) {
			if op.Kind == OpPad {
				out = append(out, op)
			}
		})
		return out
	}
	p, err := Lower(m)
	if err != nil {
		t.Fatal(err)
	}
	if len(pads(p)) < 2 {
		t.Fatalf("r4_digits has %d pads, want several", len(pads(p)))
	}
	const want = "borders would not stay zero"
	for name, breakIt := range map[string]func(p *Program){
		"another op writes it": func(p *Program) {
			pad := pads(p)[0]
			p.Forward[0].Blocks = append(p.Forward[0].Blocks, Block{Ops: []*Op{{Kind: OpZero, Writes: []View{pad.Writes[0]}}}})
		},
		"another geometry": func(p *Program) {
			ps := pads(p)
			for _, op := range ps[1:] {
				if op.Conv.C != ps[0].Conv.C {
					op.Writes[0].Buf = ps[0].Writes[0].Buf
					return
				}
			}
			t.Fatal("no pad of another geometry")
		},
	} {
		p, err := Lower(m)
		if err != nil {
			t.Fatal(err)
		}
		breakIt(p)
		if err := Verify(p); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: Verify = %v", name, err)
		}
	}
}

// TestLowerOnlyFlatten: a model of nothing but flatten, which the checker
// accepts (the reference runs it to check flatten alone), is refused with
// its position instead of lowering a loss onto the input.
func TestLowerOnlyFlatten(t *testing.T) {
	m, err := spec.ParseAndCheck("flat.nn", []byte("model flat\ninput 2x3\nbatch 2\nflatten\nloss mse\noptimizer sgd lr=0.1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Lower(m); err == nil || !strings.Contains(err.Error(), "flat.nn:4:1: flatten: the model computes nothing") {
		t.Errorf("Lower: %v, want the model refused at its flatten", err)
	}
}
