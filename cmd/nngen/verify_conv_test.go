package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestVerifyLargeKernels runs `nngen verify` on the specs of testdata/conv,
// whose convolutions have kernels too large for im2col to unroll (it loops
// over the kernel offsets instead): padded, strided, wider than the input;
// and one whose gradient rows are too large for a stack array.
// By default the 2-D spec runs in float32 and the 1-D one in float64;
// -verify-all runs both in both dtypes.
func TestVerifyLargeKernels(t *testing.T) {
	cases := [][2]string{{"large_kernels2d.nn", "float32"}, {"large_kernels1d.nn", "float64"}, {"wide_channels.nn", "float32"}, {"wide_residual.nn", "float64"}}
	if *verifyAll {
		cases = append(cases, [2]string{"large_kernels2d.nn", "float64"}, [2]string{"large_kernels1d.nn", "float32"})
	}
	for _, c := range cases {
		t.Run(c[0]+"/"+c[1], func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run([]string{"verify", "-dtype", c[1], "testdata/conv/" + c[0]}, &out, &errb)
			if code != exitOK || !strings.Contains(out.String(), "quantities within tolerance") {
				t.Errorf("exit %d\n%s%s", code, out.String(), errb.String())
			}
		})
	}
}
