package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestVerifyActivations: the tanh, leaky relu and sigmoid kernels inside
// a generated network agree with the reference, in both dtypes.
func TestVerifyActivations(t *testing.T) {
	for _, dtype := range []string{"float32", "float64"} {
		t.Run(dtype, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run([]string{"verify", "-dtype", dtype, "testdata/act/activations.nn"}, &out, &errb)
			if code != exitOK || !strings.Contains(out.String(), "quantities within tolerance") {
				t.Errorf("exit %d\n%s%s", code, out.String(), errb.String())
			}
		})
	}
}
