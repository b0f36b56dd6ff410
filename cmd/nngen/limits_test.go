package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

// A limitFamily is a spec that grows with x and passes one limit first:
// src(x) is checked, refused with msg once x is too large.
type limitFamily struct {
	name   string
	src    func(x int) string
	lo, hi int    // src(lo) is accepted, src(hi) refused
	msg    string // the limit's own message, as `nngen check` prints it
}

const limitTail = "loss mse\noptimizer sgd lr=0.1\n"

// limitFamilies has one family per limit of spec/limits.go and ir that a
// spec can reach (the command-line limits are TestUnrollLimits').
var limitFamilies = []limitFamily{
	{"memory", func(d int) string { // 320·L + 4 bytes: input, two outputs and their gradients, J
		return fmt.Sprintf("model m\ninput 16x%d\nrelu\nrelu\n%s", d, limitTail)
	}, 1, spec.MaxDim, fmt.Sprintf("relu: the model's memory reaches %d bytes here", 320*(spec.MaxMemory/320+1)+4)},
	{"flops", func(n int) string {
		return fmt.Sprintf("model m\ninput 4096\nbatch 64\ndense %d\n%s", n, limitTail)
	}, 1, 4096, "dense: forward and backward reach"},
	{"layers", func(n int) string {
		return "model m\ninput 8\n" + strings.Repeat("relu\n", n) + limitTail
	}, 1, spec.MaxLayers + 10, fmt.Sprintf("relu: the model reaches %d layers here, over the limit of %d", spec.MaxLayers+1, spec.MaxLayers)},
	{"matmuls", distinctDense(4, 65), 1, ir.MaxMatmuls, fmt.Sprintf("the model reaches %d distinct matrix products here, over the limit of %d", ir.MaxMatmuls+1, ir.MaxMatmuls)},
	{"spec bytes", func(n int) string { return paddedSpec(n) }, 200, 2 * spec.MaxSpecBytes,
		fmt.Sprintf("the spec is %d bytes, over the limit of %d", spec.MaxSpecBytes+1, spec.MaxSpecBytes)},
}

// distinctDense is n dense layers of widths first, first+1, …: a product
// shape of their own for each forward, backward and weight gradient.
func distinctDense(batch, first int) func(n int) string {
	return func(n int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "model m\ninput 64\nbatch %d\n", batch)
		for i := range n {
			fmt.Fprintf(&b, "dense %d\n", first+i)
		}
		return b.String() + limitTail
	}
}

// paddedSpec is a valid spec of exactly n bytes (n ≥ 200): R4's layers and
// comment lines.
func paddedSpec(n int) string {
	body := "model m\ninput 1x8x8\nbatch 32\nconv2d 8 kernel=3\nrelu\nconv2d 16 kernel=3\nrelu\nflatten\ndense 10\n" +
		"loss crossentropy\noptimizer sgd lr=0.01\n"
	var b strings.Builder
	for b.Len()+len(body) < n {
		line := "# " + strings.Repeat("padding ", 10) + "\n"
		if rest := n - len(body) - b.Len(); rest < len(line) {
			line = ("#" + strings.Repeat(" ", rest))[:rest-1] + "\n"
		}
		b.WriteString(line)
	}
	return b.String() + body
}

// checks is what `nngen check` does to a spec, in process.
func checks(src string) error {
	m, err := spec.ParseAndCheck("limit.nn", []byte(src))
	if err != nil {
		return err
	}
	return ir.Check(m)
}

// edge is the largest x of f that checks.
func edge(t *testing.T, f limitFamily) int {
	t.Helper()
	lo, hi := f.lo, f.hi
	if err := checks(f.src(lo)); err != nil {
		t.Fatalf("%s(%d) is refused: %v", f.name, lo, err)
	}
	if checks(f.src(hi)) == nil {
		t.Fatalf("%s(%d) is accepted", f.name, hi)
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if checks(f.src(mid)) == nil {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// TestLimitsEdge checks, for every limit, that the largest spec of its
// family passes `nngen check` and that the next one is refused with the
// limit's own message.
func TestLimitsEdge(t *testing.T) {
	dir := t.TempDir()
	for _, f := range limitFamilies {
		t.Run(f.name, func(t *testing.T) {
			x := edge(t, f)
			ok, over := filepath.Join(dir, "ok.nn"), filepath.Join(dir, "over.nn")
			os.WriteFile(ok, []byte(f.src(x)), 0o644)
			os.WriteFile(over, []byte(f.src(x+1)), 0o644)
			var out, errb bytes.Buffer
			if code := run([]string{"check", ok}, &out, &errb); code != exitOK {
				t.Errorf("%s(%d): exit %d\n%s", f.name, x, code, errb.String())
			}
			errb.Reset()
			code := run([]string{"check", over}, &out, &errb)
			if code != exitFail || !strings.Contains(errb.String(), f.msg) || strings.Count(errb.String(), "\n") != 1 {
				t.Errorf("%s(%d): exit %d, stderr:\n%s\nwant one error: %s", f.name, x+1, code, errb.String(), f.msg)
			}
		})
	}
}

// TestUnrollLimits checks that -unroll-max and -unroll are taken up to
// their limits and refused past them.
func TestUnrollLimits(t *testing.T) {
	dir := t.TempDir()
	src := copySpec(t, dir, "r1_housing.nn")
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"gen", "-o", dir, "-unroll-max", fmt.Sprint(ir.MaxUnrollMax), "-unroll", "64", src}, exitOK, ""},
		{[]string{"gen", "-o", dir, "-unroll-max", fmt.Sprint(ir.MaxUnrollMax + 1), src}, exitUsage,
			fmt.Sprintf("nngen gen: -unroll-max %d is over the limit of %d", ir.MaxUnrollMax+1, ir.MaxUnrollMax)},
		{[]string{"gen", "-o", dir, "-unroll-max", "100000000", src}, exitUsage, "-unroll-max 100000000 is over the limit"},
		{[]string{"gen", "-o", dir, "-unroll", "65", src}, exitUsage, "nngen gen: -unroll 65 is over the limit of 64"},
		{[]string{"ir", "-unroll-max", fmt.Sprint(ir.MaxUnrollMax), src}, exitOK, ""},
		{[]string{"ir", "-unroll-max", fmt.Sprint(ir.MaxUnrollMax + 1), src}, exitUsage, "nngen ir: -unroll-max"},
	} {
		var out, errb bytes.Buffer
		code := run(tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(errb.String(), tc.msg) {
			t.Errorf("nngen %v: exit %d, stderr %q; want exit %d, %q", tc.args, code, errb.String(), tc.code, tc.msg)
		}
	}
}
