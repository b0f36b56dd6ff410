package main

import (
	"bytes"
	"flag"
	"strings"
	"testing"

	"github.com/nngen/nngen/spec"
)

// TestVerifyReferenceNetworks runs `nngen verify` end to end (about 2 s a
// network: it builds and tests a generated package). By default R1–R5 and
// allops once each, alternating dtypes; -verify-all runs both dtypes.
func TestVerifyReferenceNetworks(t *testing.T) {
	cases := [][2]string{{"r1_housing.nn", "float64"}, {"r2_mnist.nn", "float32"}, {"r3_resnet.nn", "float64"},
		{"r4_digits.nn", "float32"}, {"r5_signal.nn", "float64"}, {"allops.nn", "float32"},
		{"layernorm_first.nn", "float32"}}
	if *verifyAll {
		cases = nil
		for _, s := range []string{"r1_housing.nn", "r2_mnist.nn", "r3_resnet.nn", "r4_digits.nn", "r5_signal.nn", "allops.nn", "layernorm_first.nn"} {
			cases = append(cases, [2]string{s, "float32"}, [2]string{s, "float64"})
		}
	}
	// Each optimizer (testdata/optimizers): alternating dtypes, both with -verify-all.
	for i, s := range []string{"optimizers/adam.nn", "optimizers/adamw.nn", "optimizers/nesterov.nn"} {
		path := "../../cmd/nngen/testdata/" + s
		switch {
		case *verifyAll:
			cases = append(cases, [2]string{path, "float32"}, [2]string{path, "float64"})
		case i%2 == 0:
			cases = append(cases, [2]string{path, "float32"})
		default:
			cases = append(cases, [2]string{path, "float64"})
		}
	}
	cases = append(cases, [2]string{"../../cmd/nngen/testdata/optimizers/adam_mnist.nn", "float32"},
		[2]string{"../../cmd/nngen/testdata/units/shared_kernel.nn", "float64"},
		[2]string{"../../cmd/nngen/testdata/acts/dense_acts.nn", "float32"}) // the activations' range kernels
	if *verifyAll {
		cases = append(cases, [2]string{"../../cmd/nngen/testdata/acts/dense_acts.nn", "float64"})
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run([]string{"verify", "-dtype", c[1], "../../testdata/specs/" + c[0]}, &out, &errb)
		if code != exitOK || !strings.Contains(out.String(), "quantities within tolerance") {
			t.Errorf("verify %s %s: exit %d\n%s%s", c[0], c[1], code, out.String(), errb.String())
		}
		if strings.Count(out.String(), " ok\n") < 10 {
			t.Errorf("verify %s %s: too few quantities compared:\n%s", c[0], c[1], out.String())
		}
	}
}

// TestReportFails checks that a quantity past tolerance fails the run and
// that initial parameters must match bit for bit.
func TestReportFails(t *testing.T) {
	m := loadModel(t, "r1_housing.nn")
	for _, q := range []quantity{
		{name: "loss", got: []float64{1.001}, want: []float64{1}, tol: 1e-4},
		{name: "init", got: []float64{1 + 1e-7}, want: []float64{1}},
		{name: "short", got: []float64{1}, want: []float64{1, 2}, tol: 1},
	} {
		var out bytes.Buffer
		if code := report(&out, m, []quantity{q}); code != exitFail || !strings.Contains(out.String(), "FAIL") {
			t.Errorf("%s: exit %d, output %q", q.name, code, out.String())
		}
	}
	var out bytes.Buffer
	if code := report(&out, m, []quantity{{name: "ok", got: []float64{1 + 1e-6}, want: []float64{1}, tol: 1e-5}}); code != exitOK {
		t.Errorf("within tolerance: exit %d, %q", code, out.String())
	}
}

// TestUpdatesFail checks that an update off by 1% fails, with the
// parameters themselves within tolerance of each other.
func TestUpdatesFail(t *testing.T) {
	m := loadModel(t, "r1_housing.nn")
	c := &collector{m: m, tol: 1e-4}
	before, want, after := make([][]float64, len(m.Params)), make([][]float64, len(m.Params)), make([][]float64, len(m.Params))
	for i, p := range m.Params {
		for j := range p.Shape.Size() {
			b := 1 + float64(j)/10
			before[i] = append(before[i], b)
			want[i] = append(want[i], b-1e-3)
			after[i] = append(after[i], b-1.01e-3)
		}
	}
	c.updates("update", before, want, after)
	var out bytes.Buffer
	if code := report(&out, m, c.qs); code != exitFail || strings.Count(out.String(), "FAIL") != len(m.Params)+1 {
		t.Errorf("exit %d, output %q", code, out.String())
	}
}

var verifyAll = flag.Bool("verify-all", false, "verify every reference network in both dtypes")

func loadModel(t *testing.T, name string) *spec.Model {
	t.Helper()
	m, err := spec.Load("../../testdata/specs/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestVerifyEveryKernelPath runs verify with the kernels forced onto each
// path this machine has (the harness inherits NNGEN_KERNELS).
func TestVerifyEveryKernelPath(t *testing.T) {
	for _, path := range []string{"generic", "avx2"} {
		t.Run(path, func(t *testing.T) {
			t.Setenv("NNGEN_KERNELS", path)
			var out, errb bytes.Buffer
			code := run([]string{"verify", "../../testdata/specs/r2_mnist.nn"}, &out, &errb)
			if code != exitOK {
				t.Errorf("verify with NNGEN_KERNELS=%s: exit %d\n%s%s", path, code, out.String(), errb.String())
			}
		})
	}
}
