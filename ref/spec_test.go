package ref

import (
	"strings"
	"testing"

	"github.com/nngen/nngen/spec"
)

// parseNN checks a model written as .nn lines: "model t", "input IN", the
// given lines, then "loss mse" and "optimizer sgd lr=0.1" unless the lines
// have their own.
func parseNN(t testing.TB, in string, lines ...string) *spec.Model {
	t.Helper()
	src := "model t\ninput " + in + "\n" + strings.Join(lines, "\n") + "\n"
	if !strings.Contains(src, "\nloss ") {
		src += "loss mse\n"
	}
	if !strings.Contains(src, "\noptimizer ") {
		src += "optimizer sgd lr=0.1\n"
	}
	m, err := spec.ParseAndCheck("t.nn", []byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return m
}
