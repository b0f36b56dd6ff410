package spec

import (
	"strings"
	"testing"
)

// TestPoolShapes checks floor((n − K)/S) + 1 per spatial dimension, the
// default stride (the kernel) and that channels are kept.
func TestPoolShapes(t *testing.T) {
	for _, c := range []struct{ in, layer, out string }{
		{"3x8", "maxpool1d kernel=2", "3x4"},
		{"3x9", "avgpool1d kernel=2", "3x4"},
		{"3x9", "avgpool1d kernel=3 stride=2", "3x4"},
		{"2x7", "maxpool1d kernel=7", "2x1"},
		{"2x7", "maxpool1d kernel=2 stride=5", "2x2"},
		{"4x8x8", "maxpool2d kernel=2", "4x4x4"},
		{"1x7x5", "avgpool2d kernel=3 stride=1", "1x5x3"},
		{"1x7x5", "maxpool2d kernel=3 stride=2", "1x3x2"},
	} {
		m := mustCheck(t, "model m\ninput "+c.in+"\n"+c.layer+"\n"+tail)
		l := m.Layers[0]
		if l.Out.String() != c.out || len(l.Params) != 0 {
			t.Errorf("%s on %s: out %s, %d params; want %s, none", c.layer, c.in, l.Out, len(l.Params), c.out)
		}
	}
}

// TestPoolStatement checks that the statement echoes the resolved stride.
func TestPoolStatement(t *testing.T) {
	m := mustCheck(t, "model m\ninput 2x8x8\nmaxpool2d kernel=2\navgpool2d kernel=2 stride=1\nflatten\n"+tail)
	var got []string
	m.Walk(func(l *Layer) { got = append(got, l.ID+": "+l.Statement()) })
	want := "maxpool2d1: maxpool2d kernel=2 stride=2; avgpool2d1: avgpool2d kernel=2 stride=1; flatten1: flatten"
	if s := strings.Join(got[:3], "; "); s != want {
		t.Errorf("got %s\nwant %s", s, want)
	}
}

// TestPoolCost checks one FLOP per window element read per output, both
// ways, and no backward for a first layer (it would only give ∂J/∂x).
func TestPoolCost(t *testing.T) {
	m := mustCheck(t, "model m\ninput 3x9x9\nconv2d 2 kernel=3\nmaxpool2d kernel=3 stride=2\n"+tail)
	rows := m.LayerCosts()
	if c := rows[1].Cost; c != (Cost{Forward: 2 * 4 * 4 * 9, Backward: 2 * 4 * 4 * 9}) {
		t.Errorf("maxpool2d: %+v", c)
	}
	first := mustCheck(t, "model m\ninput 2x8\navgpool1d kernel=3 stride=1\n"+tail).LayerCosts()[0].Cost
	if first != (Cost{Forward: 2 * 6 * 3}) {
		t.Errorf("avgpool1d first: %+v", first)
	}
}
