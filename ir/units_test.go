package ir

import (
	"os"
	"testing"

	"github.com/nngen/nngen/spec"
)

// TestSplitUnits: R2 (dense 784→128 holds 98.7% of the parameters) runs its
// first layer by 4 blocks of 32 units, in training and inference, its
// products become one block's and its z and ∂J/∂z come back from Dropped
// as the blocks' slots; no other reference network splits, nor R2 with a
// Step split by rows (a batch large enough) or with its first layer a
// small share of the parameters.
func TestSplitUnits(t *testing.T) {
	r2, err := os.ReadFile("../testdata/specs/r2_mnist.nn")
	if err != nil {
		t.Fatal(err)
	}
	for _, infer := range []bool{false, true} {
		p := compileSrc(t, string(r2), Options{Infer: infer})
		u := p.Units
		if u == nil {
			t.Fatalf("infer=%v: R2 is not split by units", infer)
		}
		if u.Blocks != 4 || u.Size != UnitBlock || u.In != 784 || u.Units != 128 || u.Forward != p.Forward[0] {
			t.Errorf("infer=%v: split %d blocks of %d units of %d inputs", infer, u.Blocks, u.Size, u.In)
		}
		if k := u.Forward.Blocks[0].Ops[0].Matmul; k.M != 32 || k.N != UnitBlock || k.K != 784 || k.Batched {
			t.Errorf("infer=%v: forward product %s, want NT32x32x784 without a row range", infer, k.Key())
		}
		if infer != (u.Backward == nil) {
			t.Errorf("infer=%v: backward function %v", infer, u.Backward)
		}
		if u.Backward != nil {
			if k := u.Backward.Blocks[0].Ops[1].Matmul; k.M != UnitBlock || k.N != 784 || k.K != 32 || k.Batched {
				t.Errorf("weight gradient %s, want TN32x784x32 without a row range", k.Key())
			}
		}
		for _, d := range p.Dropped {
			if d == u.Z || d == u.DZ {
				t.Errorf("infer=%v: slot %s still dropped", infer, d.Name)
			}
		}
	}
	for _, name := range []string{"r1_housing", "r3_resnet", "r4_digits", "r5_signal"} {
		src, err := os.ReadFile("../testdata/specs/" + name + ".nn")
		if err != nil {
			t.Fatal(err)
		}
		if p := compileSrc(t, string(src), Options{}); p.Units != nil {
			t.Errorf("%s split by units", name)
		}
	}
	for what, src := range map[string]string{
		"Step split by rows": "model m\ninput 784\nbatch 512\ndense 128\nrelu\ndense 10\nloss crossentropy\noptimizer sgd lr=0.01\n",
		"first layer 33%":    "model m\ninput 32\nbatch 32\ndense 64\nrelu\ndense 64\nrelu\ndense 64\nloss mse\noptimizer sgd lr=0.01\n",
		"units not blocks":   "model m\ninput 784\nbatch 32\ndense 100\nrelu\ndense 10\nloss crossentropy\noptimizer sgd lr=0.01\n",
		"no relu fused":      "model m\ninput 784\nbatch 32\ndense 128\ntanh\ndense 10\nloss crossentropy\noptimizer sgd lr=0.01\n",
	} {
		if p := compileSrc(t, src, Options{}); p.Units != nil {
			t.Errorf("%s: split by units", what)
		}
	}
}

func compileSrc(t *testing.T, src string, o Options) *Program {
	t.Helper()
	m, err := spec.ParseAndCheck("spec.nn", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(m, o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
