package ref

import (
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/nngen/nngen/spec"
)

// randomTargets draws targets of m's loss for a batch of b examples.
func randomTargets(r *rand.Rand, m *spec.Model, b int) [][]float64 {
	y := make([][]float64, b)
	for i := range y {
		switch m.Loss {
		case spec.CrossEntropy:
			y[i] = []float64{float64(r.IntN(m.Output.Size()))}
		case spec.Logistic:
			y[i] = []float64{float64(r.IntN(2))}
		default:
			y[i] = uniform(r, m.Output.Size(), -1, 1)
		}
	}
	return y
}

// checkNet compares Backward's ∇J with central differences of Loss, on
// perParam sampled elements of each parameter (every element if 0), from
// Init's parameters plus noise so biases and betas are not all 0.
func checkNet(t *testing.T, r *rand.Rand, m *spec.Model, batch, perParam int) float64 {
	n := New(m)
	n.Init(7)
	for _, p := range n.Params {
		for j := range p {
			p[j] += 0.1 * (2*r.Float64() - 1)
		}
	}
	x, y := randomBatch(r, batch, m.Input.Size()), randomTargets(r, m, batch)
	J, grad := n.Backward(x, y)
	if L := n.Loss(x, y); L != J {
		t.Errorf("Backward's J = %v, Loss = %v", J, L)
	}
	F := func() float64 { return n.Loss(x, y) }
	worst := 0.0
	for i, p := range m.Params {
		var idx []int
		if perParam > 0 {
			idx = sample(r, len(grad[i]), perParam)
		}
		worst = max(worst, checkFD(t, p.Name, F, n.Params[i], grad[i], idx))
	}
	return worst
}

// TestNetworksFD checks ∇J end to end on small networks, every element.
func TestNetworksFD(t *testing.T) {
	cases := []struct {
		name, in string
		lines    []string
	}{
		{"mlp_mse", "3", []string{"dense 4", "tanh", "dense 2"}},
		{"mlp_logistic", "5", []string{"dense 3", "sigmoid", "dense 1", "loss logistic"}},
		{"mlp_crossentropy", "4", []string{"dense 5", "gelu", "dense 3", "loss crossentropy"}},
		{"conv1d_ce", "2x6", []string{"conv1d 3 kernel=3 stride=2", "softplus beta=3", "flatten", "dense 3", "loss crossentropy"}},
		{"res_ln_logistic", "4", []string{"residual {", "dense 4", "leakyrelu", "}", "layernorm", "dense 1", "loss logistic"}},
		{"conv2d_mse", "1x5x5", []string{"conv2d 2 kernel=3", "relu", "conv2d 1 kernel=3 stride=2 pad=valid", "flatten", "dense 2 bias=false"}},
	}
	worst := worstTable{}
	r := rand.New(rand.NewPCG(3, 4))
	for _, c := range cases {
		m := parseNN(t, c.in, c.lines...)
		t.Run(c.name, func(t *testing.T) { worst.note(c.name, checkNet(t, r, m, 3, 0)) })
	}
	for _, f := range []string{"allops.nn", "conv1d_valid.nn"} {
		m := load(t, f)
		t.Run(f, func(t *testing.T) { worst.note(f, checkNet(t, r, m, m.Batch, 0)) })
	}
	t.Logf("worst FD relative error per network (every parameter element):%s", worst)
}

// TestReferenceNetworksFD checks R1–R5 on 8 sampled elements of each
// parameter (always the first and last) and a batch of 2, to stay fast.
func TestReferenceNetworksFD(t *testing.T) {
	worst := worstTable{}
	r := rand.New(rand.NewPCG(5, 6))
	for _, f := range []string{"r1_housing.nn", "r2_mnist.nn", "r3_resnet.nn", "r4_digits.nn", "r5_signal.nn"} {
		m := load(t, f)
		t.Run(f, func(t *testing.T) { worst.note(f, checkNet(t, r, m, 2, 8)) })
	}
	t.Logf("worst FD relative error per reference network (sampled):%s", worst)
}

func load(t *testing.T, name string) *spec.Model {
	t.Helper()
	m, err := spec.Load(filepath.Join("..", "testdata", "specs", name))
	if err != nil {
		t.Fatal(err)
	}
	return m
}
