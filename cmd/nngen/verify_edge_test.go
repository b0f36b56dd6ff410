package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestVerifyNoParams runs `nngen verify` on a network without parameters:
// its package's test (weights round trips and refusals included) must pass
// with nothing to store.
func TestVerifyNoParams(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"verify", "testdata/edge/noparams.nn"}, &out, &errb)
	if code != exitOK || !strings.Contains(out.String(), "quantities within tolerance") {
		t.Errorf("exit %d\n%s%s", code, out.String(), errb.String())
	}
}

// TestVerifyFlattenFirst runs `nngen verify` on a network whose first
// layer's output is its input (flatten): its reported output is the batch
// the caller passed, which the entry points read in place when it starts
// on a cache line (forwardWork.input), so the package's own copy is stale.
func TestVerifyFlattenFirst(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"verify", "testdata/edge/flatten_first.nn"}, &out, &errb)
	if code != exitOK || !strings.Contains(out.String(), "forward flatten1") || !strings.Contains(out.String(), "quantities within tolerance") {
		t.Errorf("exit %d\n%s%s", code, out.String(), errb.String())
	}
}
