package ref

import (
	"fmt"
	"math"
	"testing"

	"github.com/nngen/nngen/spec"
)

// Forward values computed by hand: finite differences only prove that
// backward matches forward, so forward itself is pinned here.

func forwardOne(t *testing.T, m *spec.Model, params [][]float64, x []float64) []float64 {
	t.Helper()
	n := New(m)
	for i := range params {
		copy(n.Params[i], params[i])
	}
	return n.Forward([][]float64{x}).Logits[0]
}

func assertClose(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d values %v, want %d %v", what, len(got), got, len(want), want)
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-12*math.Max(1, math.Abs(want[i])) {
			t.Errorf("%s[%d] = %.17g, want %.17g", what, i, got[i], want[i])
		}
	}
}

func TestDenseForward(t *testing.T) {
	W, b := []float64{1, 2, 3, 4, 5, 6}, []float64{1, 0, -1}
	assertClose(t, "dense", forwardOne(t, parseNN(t, "2", "dense 3"), [][]float64{W, b}, []float64{1, -1}), []float64{0, -1, -2})
	assertClose(t, "dense nobias", forwardOne(t, parseNN(t, "2", "dense 3 bias=false"), [][]float64{W}, []float64{1, -1}), []float64{-1, -1, -1})
}

func TestActivationValues(t *testing.T) {
	cases := []struct {
		layer   string
		x, want []float64
	}{
		{"relu", []float64{-2, 0, 3}, []float64{0, 0, 3}},
		{"sigmoid", []float64{0, -800, 800}, []float64{0.5, 0, 1}},
		{"tanh", []float64{0, 0.5}, []float64{0, 0.46211715726000974}},
		{"gelu", []float64{1, -1, 0}, []float64{0.8413447460685429, -0.15865525393145707, 0}},
		{"leakyrelu", []float64{-2, 3}, []float64{-0.02, 3}},
		{"leakyrelu gamma=0.1", []float64{-2, 3}, []float64{-0.2, 3}},
		{"softplus", []float64{0, 1000, -1000}, []float64{math.Ln2, 1000, 0}},
		{"softplus beta=2", []float64{0, 1}, []float64{math.Ln2 / 2, math.Log1p(math.Exp(2)) / 2}},
	}
	for _, c := range cases {
		got := forwardOne(t, parseNN(t, fmt.Sprint(len(c.x)), c.layer), nil, c.x)
		assertClose(t, c.layer, got, c.want)
	}
}

func TestLayerNormForward(t *testing.T) {
	want := []float64{-1.6832708399378538, 0.105576386687382, 1.894423613312618, 3.6832708399378538}
	x := []float64{1, 2, 3, 4}
	scalar := forwardOne(t, parseNN(t, "4", "layernorm"), [][]float64{{2}, {1}}, x)
	assertClose(t, "layernorm scalar", scalar, want)
	// Vector affine with γ = (2, 2, 0, 2), β = (1, 1, 5, 1).
	vec := forwardOne(t, parseNN(t, "4", "layernorm affine=vector"), [][]float64{{2, 2, 0, 2}, {1, 1, 5, 1}}, x)
	assertClose(t, "layernorm vector", vec, []float64{want[0], want[1], 5, want[3]})
}

func TestConv1DForward(t *testing.T) {
	z, p := []float64{1, 2, 3, 4, 5}, [][]float64{{1, 0, -1}, {0.5}}
	conv := func(opts string) *spec.Model { return parseNN(t, "1x5", "conv1d 1 kernel=3"+opts) }
	assertClose(t, "same", forwardOne(t, conv(""), p, z), []float64{-1.5, -1.5, -1.5, -1.5, 4.5})
	assertClose(t, "stride 2", forwardOne(t, conv(" stride=2"), p, z), []float64{-1.5, -1.5, 4.5})
	assertClose(t, "valid", forwardOne(t, conv(" pad=valid"), p, z), []float64{-1.5, -1.5, -1.5})
	// Two channels in and out: filter 0 sums channel 0's window, filter 1 copies channel 1.
	W := []float64{1, 1, 1, 0, 0, 0 /* filter 1 */, 0, 0, 0, 0, 1, 0}
	m := parseNN(t, "2x3", "conv1d 2 kernel=3 bias=false")
	assertClose(t, "2 channels", forwardOne(t, m, [][]float64{W}, []float64{1, 2, 3, 4, 5, 6}), []float64{3, 6, 5, 4, 5, 6})
}

func TestConv2DForward(t *testing.T) {
	z := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9}
	valid := parseNN(t, "1x3x3", "conv2d 1 kernel=2 pad=valid bias=false")
	assertClose(t, "valid k2", forwardOne(t, valid, [][]float64{{1, 2, 3, 4}}, z), []float64{37, 47, 67, 77})
	same := parseNN(t, "1x3x3", "conv2d 1 kernel=3 stride=2")
	ones := []float64{1, 1, 1, 1, 1, 1, 1, 1, 1}
	assertClose(t, "same stride 2", forwardOne(t, same, [][]float64{ones, {-1}}, z), []float64{11, 15, 23, 27})
}

func TestLossValues(t *testing.T) {
	cases := []struct {
		k    spec.LossKind
		t, y []float64
		want float64
	}{
		{spec.MSE, []float64{1, 2}, []float64{0, 4}, 2.5},
		{spec.Logistic, []float64{0}, []float64{1}, math.Ln2},
		{spec.Logistic, []float64{2}, []float64{0}, math.Log1p(math.Exp(2))},
		{spec.CrossEntropy, []float64{0, 0, 0}, []float64{2}, math.Log(3)},
		{spec.CrossEntropy, []float64{1, 2, 3}, []float64{0}, 2.4076059644443806},
	}
	for _, c := range cases {
		// Two copies of the example: J is their mean, so it equals one loss.
		J, _ := lossGrad(c.k, [][]float64{c.t, c.t}, [][]float64{c.y, c.y})
		assertClose(t, c.k.String(), []float64{J}, []float64{c.want})
	}
}

func TestTraceNestedResidual(t *testing.T) {
	m := parseNN(t, "2", "residual {", "dense 2", "residual {", "relu", "}", "}")
	n := New(m)
	copy(n.ParamOf("Dense1W"), []float64{1, 0, 0, -1})
	x := []float64{3, 4}
	tr := n.Forward([][]float64{x})
	wantIDs := []string{"dense1", "relu1", "residual2", "residual1"}
	if len(tr.IDs) != len(wantIDs) {
		t.Fatalf("IDs = %v, want %v", tr.IDs, wantIDs)
	}
	for i := range wantIDs {
		if tr.IDs[i] != wantIDs[i] {
			t.Fatalf("IDs = %v, want %v", tr.IDs, wantIDs)
		}
	}
	// dense: (3, −4); inner residual: (3, −4) + relu = (6, −4); outer: x + that = (9, 0).
	assertClose(t, "residual2", tr.Outputs["residual2"][0], []float64{6, -4})
	assertClose(t, "residual1", tr.Outputs["residual1"][0], []float64{9, 0})
	assertClose(t, "logits", tr.Logits[0], []float64{9, 0})
}
