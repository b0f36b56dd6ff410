package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/nngen/nngen/gen"
	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/ref"
	"github.com/nngen/nngen/spec"
	"github.com/nngen/nngen/weightinit"
)

// Tolerances of `nngen verify`. Errors are normwise: for each quantity,
// rel = max|got − want| / max|want|, so entries that cancel to almost
// zero do not dominate (forward1, one example's output, is scaled by the
// whole batch's output). float64 must agree to relTol64; float32 to
// relTol32·sqrt(K), where K is the longest reduction in the network (the
// largest matmul inner size, layernorm width, class count or batch), since rounding
// errors of a K-term sum grow like sqrt(K). Initial parameters must be
// bit-identical. Observed on R1–R5 and testdata/specs with seeds 1–6: float64
// within 1e-14, float32 within 0.45 of its tolerance (a scalar layernorm
// gamma's gradient, one sum of B·F cancelling terms, is the worst).
const (
	relTol64 = 1e-10
	relTol32 = 5e-6
)

// runVerify is `nngen verify [-seed N] [-dtype float32|float64] SPEC`.
func runVerify(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("verify", flag.ContinueOnError)
	fl.SetOutput(stderr)
	seed := fl.Uint64("seed", 1, "seed of the random parameters (Init) and data")
	dtype := fl.String("dtype", "", "element type to verify, float32 or float64 (default: the spec's)")
	fl.Usage = func() {
		fmt.Fprint(stderr, "usage: nngen verify [-seed N] [-dtype float32|float64] SPEC\n")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return exitUsage
	}
	if fl.NArg() != 1 || *dtype != "" && *dtype != "float32" && *dtype != "float64" {
		fl.Usage()
		return exitUsage
	}
	ctx, stop := onSignals()
	defer stop()
	m, err := spec.Load(fl.Arg(0))
	if err == nil {
		err = ir.Check(m) // the back end's limits
	}
	if err != nil {
		printSpecError(stderr, err)
		return exitFail
	}
	switch *dtype {
	case "float32":
		m.DType = spec.Float32
	case "float64":
		m.DType = spec.Float64
	}
	qs, ownTest, err := verifyModel(ctx, m, *seed)
	if err == nil && ctx.Err() != nil {
		err = context.Cause(ctx) // a signal during the reference's run
	}
	if err != nil {
		fmt.Fprintf(stderr, "nngen verify: %v\n", err)
		return exitStatus(err)
	}
	code := report(stdout, m, qs)
	if ownTest != nil {
		fmt.Fprintf(stdout, "FAIL: the generated package's own test: %v\n", ownTest)
		return exitFail
	}
	return code
}

// quantity is one compared tensor.
type quantity struct {
	name      string
	got, want []float64
	tol       float64 // normwise relative; 0: must be bit-identical
	scale     float64 // divides the error if larger than max|want|
}

// verifyModel runs the generated package and the reference on the same
// parameters and data and pairs up what they computed.
// The second error is that of the package's own test.
func verifyModel(ctx context.Context, m *spec.Model, seed uint64) ([]quantity, error, error) {
	b := randomBatch(m, seed)
	h, err := runHarness(ctx, m, b.encode(seed))
	if err != nil {
		return nil, nil, err
	}
	recs, order := h.recs, h.order
	net := ref.New(m)
	net.Init(seed)
	roundParams(m, net.Params)
	c := &collector{m: m, recs: recs, tol: tolerance(m)}
	c.params("init", weightinit.Values(m, seed), 0)
	tr := net.Forward(b.x)
	if err := checkIDs(order, tr.IDs); err != nil {
		return nil, nil, err
	}
	for _, id := range tr.IDs {
		name, want := "forward "+id, flatten(tr.Outputs[id])
		if _, ok := recs[name+gen.ReluSuffix]; ok { // only seen through its fused relu
			name, want = name+gen.ReluSuffix, relu(want)
		}
		c.add(name, want, c.tol)
	}
	c.add("forward1", tr.Logits[0], c.tol)
	c.qs[len(c.qs)-1].scale = maxAbs(flatten(tr.Logits))
	c.add("loss", []float64{net.Loss(b.x, b.y)}, c.tol)
	J, grads := net.Backward(b.x, b.y)
	c.add("backward J", []float64{J}, c.tol)
	c.params("grad", grads, c.tol)
	c.steps(net, b)
	return c.qs, h.ownTest, c.err
}

// steps checks each of the harness's Steps on its own: the gradient
// against the reference's at the generated code's parameters before the
// Step, and the change of the parameters against the reference
// optimizer's update with the generated code's gradient (its moments fed
// the same gradients). Comparing only the parameters after several
// Steps would also measure how the optimizer amplifies the float32
// gradient's rounding: Adam divides by √v + ε, so a gradient of 10⁻⁹
// rounded to 1.1·10⁻⁹ moves its weight by a sizeable part of lr.
// A gradient is judged against the scale of the first Step's: training on
// one batch shrinks the gradient a hundredfold in three Adam Steps, while
// the terms it sums (a softmax's p − y: p's rounding, not the difference's)
// keep their size and their rounding.
func (c *collector) steps(net *ref.Net, b batch) {
	before := clone(net.Params)
	var scale float64
	for s := 1; s <= verifySteps; s++ {
		_, grad := net.Backward(b.x, b.y)
		name := fmt.Sprintf("step %d ", s)
		if s == 1 {
			for _, g := range grad {
				scale = math.Max(scale, maxAbs(g))
			}
		}
		if s > 1 { // the first Step's gradient is the one "grad" compared
			n := len(c.qs)
			c.params(name+"grad", grad, c.tol)
			for i := n; i < len(c.qs); i++ {
				c.qs[i].scale = math.Max(c.qs[i].scale, scale)
			}
		}
		gotGrad, err1 := c.recs[name+"grad"].params(c.m)
		after, err2 := c.recs[name+"params"].params(c.m)
		if err := errors.Join(err1, err2); err != nil {
			c.fail(fmt.Errorf("step %d: %w", s, err))
			return
		}
		net.Update(gotGrad)
		c.updates(name+"update", before, net.Params, after)
		for i := range net.Params {
			copy(net.Params[i], after[i])
		}
		before = after
	}
}

func clone(ps [][]float64) [][]float64 {
	out := make([][]float64, len(ps))
	for i, p := range ps {
		out[i] = append([]float64(nil), p...)
	}
	return out
}

// roundParams rounds the reference's parameters to float32 when the
// generated code holds float32, so both start from the same values.
func roundParams(m *spec.Model, ps [][]float64) {
	if m.DType != spec.Float32 {
		return
	}
	for _, p := range ps {
		for i, v := range p {
			p[i] = float64(float32(v))
		}
	}
}

// tolerance is relTol64, or relTol32·sqrt(K) for the longest reduction K:
// the largest inner size of the network's matrix products, layernorm
// width, class count or batch.
func tolerance(m *spec.Model) float64 {
	if m.DType == spec.Float64 {
		return relTol64
	}
	k := max(m.Batch, m.Output.Size())
	m.Walk(func(l *spec.Layer) {
		if l.Kind == spec.LayerNorm {
			k = max(k, l.In.Size())
		}
	})
	if p, err := ir.Compile(m, ir.Options{}); err == nil {
		for _, mm := range p.Kernels() {
			k = max(k, mm.K)
		}
	}
	return relTol32 * math.Sqrt(float64(k))
}

// checkIDs checks that the generated package reports the reference's layers in its order.
func checkIDs(order, ids []string) error {
	var got []string
	for _, name := range order {
		if id, ok := strings.CutPrefix(name, "forward "); ok {
			got = append(got, strings.TrimSuffix(id, gen.ReluSuffix))
		}
	}
	if strings.Join(got, " ") != strings.Join(ids, " ") {
		return fmt.Errorf("generated layer outputs %v, reference %v", got, ids)
	}
	return nil
}

// relu is max(v, 0), elementwise, in a new slice.
func relu(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Max(x, 0)
	}
	return out
}

func flatten(rows [][]float64) []float64 {
	var out []float64
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}
