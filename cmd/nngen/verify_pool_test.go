package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestVerifyPooling runs `nngen verify` on the pooling specs of
// testdata/pool, which between them hold every pooling layer with tiling,
// overlapping and gapped windows, windows of one element and of the whole
// input, and windows too large to unroll. By default, to keep the suite
// fast, the two specs holding all four layers run once each (2-D in
// float32, 1-D in float64); -verify-all runs every spec in both dtypes.
func TestVerifyPooling(t *testing.T) {
	cases := [][2]string{{"image_pool2d.nn", "float32"}, {"signal_pool1d.nn", "float64"}}
	if *verifyAll {
		cases = nil
		for _, s := range []string{"cnn_maxpool2d.nn", "image_pool2d.nn", "signal_pool1d.nn", "tiny_pool.nn"} {
			cases = append(cases, [2]string{s, "float32"}, [2]string{s, "float64"})
		}
	}
	for _, c := range cases {
		t.Run(c[0]+"/"+c[1], func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run([]string{"verify", "-dtype", c[1], "testdata/pool/" + c[0]}, &out, &errb)
			if code != exitOK || !strings.Contains(out.String(), "quantities within tolerance") {
				t.Errorf("exit %d\n%s%s", code, out.String(), errb.String())
			}
		})
	}
}
