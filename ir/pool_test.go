package ir

import (
	"strings"
	"testing"

	"github.com/nngen/nngen/spec"
)

const poolSpec = `model pooled
input 2x9
batch 3
avgpool1d kernel=3 stride=1
conv1d 2 kernel=3
maxpool1d kernel=3 stride=2
flatten
dense 2
loss crossentropy
optimizer sgd lr=0.1
`

// TestPoolLowering checks that pooling lowers to one op per pass over every
// plane of the batch, prints its geometry, reads z backward only for max
// pooling, and skips the gradient of a first layer.
func TestPoolLowering(t *testing.T) {
	m, err := spec.ParseAndCheck("pooled.nn", []byte(poolSpec))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := p.String()
	for _, want := range []string{
		"pool       avgpool1d1Out ← x  [mean planes=6 K=3 stride=1 in=[9] out=[7]]",
		"pool       avgpool1d1Out[0:14] ← x[0:18]  [mean planes=2 K=3 stride=1 in=[9] out=[7]]",
		"pool       maxpool1d1Out ← conv1d1Out  [max planes=6 K=3 stride=2 in=[7] out=[3]]",
		"poolgrad   conv1d1OutGrad ← maxpool1d1OutGrad, conv1d1Out  [max planes=6 K=3 stride=2 in=[7] out=[3]]",
	} {
		if !strings.Contains(s, want+"\n") {
			t.Errorf("printed program lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "avgpool1d1Backward") {
		t.Errorf("the first layer has a backward function:\n%s", s)
	}
}

// TestVerifyPoolGeometry checks that Verify refuses a pooling op whose
// geometry or operands disagree.
func TestVerifyPoolGeometry(t *testing.T) {
	m, err := spec.ParseAndCheck("pooled.nn", []byte(poolSpec))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		break_ func(*Pool)
		want   string
	}{
		{"outputs", func(p *Pool) { p.Out = []int{4} }, "window does not give"},
		{"planes", func(p *Pool) { p.Planes++ }, "has"},
		{"kernel", func(p *Pool) { p.K = 10 }, "window does not give"},
	} {
		p, err := Lower(m)
		if err != nil {
			t.Fatal(err)
		}
		c.break_(p.Backward[1].Blocks[0].Ops[0].Pool)
		if err := Verify(p); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Verify gave %v, want an error with %q", c.name, err, c.want)
		}
	}
}
