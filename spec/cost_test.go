package spec

import "testing"

// TestMNISTCostByHand checks R2's totals against a count done by hand:
// dense 784→128 (100,352 weights + 128 biases), dense 128→10 (1,280 + 10).
func TestMNISTCostByHand(t *testing.T) {
	m, err := Load("../testdata/specs/r2_mnist.nn")
	if err != nil {
		t.Fatal(err)
	}
	const (
		params  = 784*128 + 128 + 128*10 + 10 // 101,770
		dense1  = 2*784*128 + 128             // multiply-adds and bias
		dense2  = 2*128*10 + 10
		relu    = 128
		loss    = 4 * 10
		forward = dense1 + relu + dense2 + loss
	)
	got := m.Total()
	if got.Params != params || params != 101770 {
		t.Errorf("parameters = %d, want %d", got.Params, params)
	}
	if got.Forward != forward {
		t.Errorf("forward FLOPs = %d, want %d", got.Forward, forward)
	}
	// Backward: dense computes both products (input and weight), twice the
	// forward multiply-adds, plus the bias sums; the first layer needs no
	// gradient to the input.
	wantBack := int64(2*784*128+128) + 2*relu + 2*(2*128*10) + 10 + 2*10
	if got.Backward != wantBack {
		t.Errorf("backward FLOPs = %d, want %d", got.Backward, wantBack)
	}
	if m.ParamBytes() != 4*params {
		t.Errorf("parameter bytes = %d, want %d", m.ParamBytes(), 4*params)
	}
}

// TestResidualRowIncludesBody checks that nested rows are listed after their
// residual and that totals count them once.
func TestResidualRowIncludesBody(t *testing.T) {
	m, err := Load("../testdata/specs/r3_resnet.nn")
	if err != nil {
		t.Fatal(err)
	}
	rows := m.LayerCosts()
	var top, nested Cost
	for _, r := range rows {
		if r.Layer != nil && r.Layer.Kind == Residual {
			var body Cost
			for _, b := range r.Layer.Body {
				body = body.add(b.ownCost())
			}
			if r.Params != body.Params || r.Forward != body.Forward+int64(r.Layer.Out.Size()) {
				t.Errorf("%s: row %+v does not include its body %+v", r.Layer.ID, r.Cost, body)
			}
		}
		if r.Depth == 0 {
			top = top.add(r.Cost)
		} else {
			nested = nested.add(r.Cost)
		}
	}
	if want := int64(4*(2*(64*64+64)+2*64) + 64*10 + 10); top.Params != want {
		t.Errorf("total parameters = %d, want %d", top.Params, want)
	}
	if top != m.Total() {
		t.Errorf("Total() = %+v, sum of top-level rows = %+v", m.Total(), top)
	}
}
