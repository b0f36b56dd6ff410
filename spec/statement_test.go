package spec

import (
	"strings"
	"testing"
)

func TestStatement(t *testing.T) {
	src := `model s
input 2x8x8
conv2d 4 kernel=3 name=conv
leakyrelu
residual {
  layernorm affine=vector eps=1e-3
}
flatten
dense 10 bias=false
softplus beta=2
loss mse
optimizer sgd lr=0.1 momentum=0.9
`
	m, err := ParseAndCheck("s.nn", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	m.Walk(func(l *Layer) { got = append(got, l.Statement()) })
	want := []string{"conv2d 4 kernel=3 pad=same stride=1 name=conv", "leakyrelu gamma=0.01", "residual { … }",
		"layernorm affine=vector eps=0.001", "flatten", "dense 10 bias=false", "softplus beta=2"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("statements:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s := m.Optimizer.Statement(); s != "optimizer sgd lr=0.1 momentum=0.9 weight_decay=0 nesterov=false" {
		t.Errorf("optimizer: %q", s)
	}
}
