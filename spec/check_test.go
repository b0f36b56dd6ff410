package spec

import (
	"strings"
	"testing"
)

const head = "model m\ninput 8\n"
const tail = "loss mse\noptimizer sgd lr=0.1\n"

func mustCheck(t *testing.T, src string) *Model {
	t.Helper()
	m, err := ParseAndCheck("t.nn", []byte(src))
	if err != nil {
		t.Fatalf("%v\nin:\n%s", err, src)
	}
	return m
}

// TestNamingContractExample is the naming example of docs/language.md: the
// ordinal counts the named layer, and IDs count every kind, nested layers
// included.
func TestNamingContractExample(t *testing.T) {
	m := mustCheck(t, head+"dense 7 name=enc\nrelu\nresidual {\nrelu\ndense 7\n}\ndense 4\nrelu\n"+tail)
	var ids []string
	m.Walk(func(l *Layer) { ids = append(ids, l.ID+"/"+l.Prefix) })
	want := "enc/Enc relu1/ residual1/ relu2/ dense2/Dense2 dense3/Dense3 relu3/"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("ids = %s\nwant  %s", got, want)
	}
	var names []string
	for _, p := range m.Params {
		names = append(names, p.Name+":"+p.Shape.String())
	}
	wantP := "EncW:7x8 EncB:7 Dense2W:7x7 Dense2B:7 Dense3W:4x7 Dense3B:4"
	if got := strings.Join(names, " "); got != wantP {
		t.Errorf("params = %s\nwant     %s", got, wantP)
	}
}

// TestDefaults checks every default of docs/language.md.
func TestDefaults(t *testing.T) {
	m := mustCheck(t, "model m\ninput 2x9\nconv1d 3 kernel=3\nleakyrelu\nsoftplus\nlayernorm\nflatten\ndense 2\n"+tail)
	if m.Batch != 1 || m.DType != Float32 || m.Optimizer.Momentum != 0 || m.File != "t.nn" {
		t.Errorf("header defaults: batch %d dtype %v momentum %v file %q", m.Batch, m.DType, m.Optimizer.Momentum, m.File)
	}
	c, lk, sp, ln, d := m.Layers[0], m.Layers[1], m.Layers[2], m.Layers[3], m.Layers[5]
	if c.Pad != PadSame || c.Stride != 1 || !c.Bias || c.Out.String() != "3x9" {
		t.Errorf("conv: pad %v stride %d bias %v out %v", c.Pad, c.Stride, c.Bias, c.Out)
	}
	if lk.Alpha != 0.01 || sp.Beta != 1 || ln.Affine != AffineScalar || ln.Eps != 1e-5 || !d.Bias {
		t.Errorf("alpha %v beta %v affine %v eps %v dense bias %v", lk.Alpha, sp.Beta, ln.Affine, ln.Eps, d.Bias)
	}
	if g := ln.Params[0]; g.Name != "Layernorm1Gamma" || len(g.Shape) != 0 || ln.Params[1].Role != RoleBeta {
		t.Errorf("layernorm params %+v", ln.Params)
	}
}

// TestConvShapes checks floor((L + 2p − K)/stride) + 1 and the PyTorch layouts.
func TestConvShapes(t *testing.T) {
	tests := []struct{ input, layer, out, w string }{
		{"3x10", "conv1d 4 kernel=3", "4x10", "4x3x3"},
		{"3x10", "conv1d 4 kernel=3 stride=2", "4x5", "4x3x3"},
		{"3x10", "conv1d 4 kernel=4 pad=valid stride=3", "4x3", "4x3x4"},
		{"3x10", "conv1d 4 kernel=10 pad=valid", "4x1", "4x3x10"},
		{"2x7x5", "conv2d 6 kernel=3 pad=valid", "6x5x3", "6x2x3x3"},
		{"2x7x5", "conv2d 6 kernel=5 stride=2", "6x4x3", "6x2x5x5"},
		{"1x3x3", "conv2d 1 kernel=7", "1x3x3", "1x1x7x7"}, // same: padded 9 ≥ 7
	}
	for _, tt := range tests {
		m := mustCheck(t, "model m\ninput "+tt.input+"\n"+tt.layer+"\n"+tail)
		l := m.Layers[0]
		if l.Out.String() != tt.out || l.Params[0].Shape.String() != tt.w || l.Params[1].Shape.String() != l.Out[:1].String() {
			t.Errorf("%s on %s: out %v W %v b %v; want out %s W %s", tt.layer, tt.input, l.Out, l.Params[0].Shape, l.Params[1].Shape, tt.out, tt.w)
		}
	}
}

// TestVectorLayerNorm checks that vector affine params take the full input shape.
func TestVectorLayerNorm(t *testing.T) {
	m := mustCheck(t, "model m\ninput 3x4\nlayernorm affine=vector name=ln\n"+tail)
	ps := m.Params
	if len(ps) != 2 || ps[0].Name != "LnGamma" || ps[0].Shape.String() != "3x4" || ps[1].Name != "LnBeta" || ps[1].Shape.String() != "3x4" {
		t.Errorf("params %v %v", ps[0], ps[1])
	}
}

// TestLayerPositions checks that layers carry the position of their keyword.
func TestLayerPositions(t *testing.T) {
	m := mustCheck(t, head+"residual {\n\t  dense 8\n}\n"+tail)
	if p := m.Layers[0].Body[0].Pos; p != (Pos{"t.nn", 4, 4}) {
		t.Errorf("nested dense at %v, want t.nn:4:4", p)
	}
}

// TestErrorsKeepGoing checks that independent mistakes are all reported and
// that a shape error does not cascade downstream.
func TestErrorsKeepGoing(t *testing.T) {
	src := head + "dense 4 bias=maybe\nconv1d 3 kernel=3\ndense 5\ndense 4 name=X\n" + tail
	_, err := ParseAndCheck("t.nn", []byte(src))
	want := []string{
		`t.nn:3:14: dense: bias must be true or false, got "maybe"`,
		`t.nn:4:1: conv1d: input must be CxL, got 4`,
		`t.nn:6:14: dense: name must be a lower-case identifier (a-z, then a-z, 0-9 or _), got "X"`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("got:\n%v\nwant:\n%s", err, strings.Join(want, "\n"))
	}
}

// TestLimitsAccepted checks that sizes at the limits are accepted: a
// dimension of MaxDim, nearly MaxParams parameters (dense 16 would pass
// it), a batch activation of exactly MaxBatchActivation.
func TestLimitsAccepted(t *testing.T) {
	m := mustCheck(t, "model m\ninput 1048576\ndense 15\n"+tail)
	if countParams(m) != 1048576*15+15 {
		t.Errorf("params = %d", countParams(m))
	}
	mustCheck(t, "model m\ninput 1048576\nbatch 16\nrelu\n"+tail)
	mustCheck(t, "model m\ninput 8\ndense 1048576 bias=false\ndense 2 bias=false\n"+tail)
}
