package ref

import (
	"math/rand/v2"
	"testing"

	"github.com/nngen/nngen/spec"
)

// moduleCase is one module under test, alone in a model (or with the
// layers its options need around it).
type moduleCase struct {
	module string // row of the worst-error table
	in     string // input shape
	lines  []string
}

func moduleCases() []moduleCase {
	cs := []moduleCase{
		{"dense", "5", []string{"dense 3"}},
		{"dense", "1", []string{"dense 1"}},
		{"dense", "7", []string{"dense 4 bias=false"}},
		{"dense", "2x3", []string{"flatten", "dense 2"}},
		{"leakyrelu", "7", []string{"leakyrelu gamma=0.3"}},
		{"softplus", "7", []string{"softplus beta=2.5"}},
		{"softplus", "7", []string{"softplus beta=0.5"}},
		{"flatten", "2x3", []string{"flatten"}},
		{"flatten", "2x2x3", []string{"flatten"}},
		{"residual", "4", []string{"residual {", "dense 4", "tanh", "}"}},
		{"residual", "4", []string{"residual {", "dense 4", "residual {", "leakyrelu gamma=0.1", "dense 4 bias=false",
			"residual {", "gelu", "}", "}", "layernorm affine=vector", "}"}},
		{"residual", "2x3", []string{"residual {", "conv1d 2 kernel=3", "relu", "}"}},
	}
	for _, a := range []string{"relu", "sigmoid", "tanh", "gelu", "leakyrelu", "softplus"} {
		for _, in := range []string{"7", "1", "2x2x3"} {
			cs = append(cs, moduleCase{a, in, []string{a}})
		}
	}
	for _, a := range []string{"affine=scalar", "affine=vector"} {
		for _, in := range []string{"7", "1", "2x2x3"} {
			cs = append(cs, moduleCase{"layernorm", in, []string{"layernorm " + a}})
		}
	}
	cs = append(cs, moduleCase{"layernorm", "5", []string{"layernorm affine=vector eps=0.1"}})
	return append(cs, convCases()...)
}

func convCases() []moduleCase {
	return []moduleCase{
		{"conv1d", "3x7", []string{"conv1d 2 kernel=3"}},
		{"conv1d", "3x7", []string{"conv1d 2 kernel=3 stride=2"}},
		{"conv1d", "2x9", []string{"conv1d 3 kernel=5 stride=3"}},
		{"conv1d", "2x8", []string{"conv1d 3 kernel=4 pad=valid stride=2 bias=false"}},
		{"conv1d", "1x1", []string{"conv1d 1 kernel=1"}},
		{"conv1d", "2x5", []string{"conv1d 1 kernel=5 pad=valid"}},
		{"conv2d", "2x5x5", []string{"conv2d 3 kernel=3"}},
		{"conv2d", "2x5x5", []string{"conv2d 2 kernel=3 stride=2"}},
		{"conv2d", "2x4x5", []string{"conv2d 2 kernel=2 pad=valid bias=false"}},
		{"conv2d", "1x1x1", []string{"conv2d 1 kernel=1"}},
		{"conv2d", "1x4x6", []string{"conv2d 2 kernel=3 stride=2"}},
	}
}

// TestModulesFD checks each module's backward function against central
// differences of F = Σ_b Σ_i w[b][i]·out[b][i], a random linear functional
// of its output: ∂F/∂out = w, so backprop(w) must give ∂F/∂x and ∂F/∂θ.
func TestModulesFD(t *testing.T) {
	worst := worstTable{}
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range moduleCases() {
		m := parseNN(t, c.in, c.lines...)
		t.Run(c.module+"/"+c.in, func(t *testing.T) {
			worst.note(c.module, checkModule(t, r, m))
		})
	}
	t.Logf("worst FD relative error per module:%s", worst)
}

func checkModule(t *testing.T, r *rand.Rand, m *spec.Model) float64 {
	n := New(m)
	for i := range n.Params {
		n.Params[i] = uniform(r, len(n.Params[i]), -1, 1)
	}
	x := randomBatch(r, 2, m.Input.Size())
	w := randomBatch(r, 2, m.Output.Size())
	F := func() float64 {
		s := 0.0
		for b, out := range n.Forward(x).Logits {
			for i := range out {
				s += w[b][i] * out[i]
			}
		}
		return s
	}
	dx, grad := n.backprop(n.Forward(x), w)
	worst := 0.0
	for b := range x {
		worst = max(worst, checkFD(t, "dx", F, x[b], dx[b], nil))
	}
	for i, p := range m.Params {
		worst = max(worst, checkFD(t, p.Name, F, n.Params[i], grad[i], nil))
	}
	return worst
}
