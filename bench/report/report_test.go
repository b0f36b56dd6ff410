package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nngen/nngen/spec"
)

// A synthetic run on R2: the arithmetic of the table, not any timing.

func writeDoc(t *testing.T, dir, name string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func doc(impl string, params int64, check string, ns ...float64) Doc {
	d := Doc{Impl: impl, Network: "r2_mnist", Model: "mnist", Params: params, Check: check}
	for i, op := range Ops {
		d.Results = append(d.Results, Result{Op: op, Median: ns[i], Q1: ns[i], Q3: ns[i], Min: ns[i], Max: ns[i], Reps: 10, Calls: 1})
	}
	return d
}

func syntheticRun(t *testing.T, torchCheck string) (*Run, spec.Cost) {
	m, err := spec.Load("../../testdata/specs/r2_mnist.nn")
	if err != nil {
		t.Fatal(err)
	}
	c := m.Total()
	dir := t.TempDir()
	writeDoc(t, dir, "machine.json", Machine{PeakGFLOPS: 100, L2ReadGBs: 50})
	writeDoc(t, dir, "nngen__r2_mnist.json", doc("nngen", c.Params, "ok", 10e3, 100e3, 400e3))
	writeDoc(t, dir, "nngen-t2__r2_mnist.json", doc("nngen-t2", c.Params, "ok", 12e3, 60e3, 250e3))
	writeDoc(t, dir, "ref__r2_mnist.json", doc("ref", c.Params, "", 30e3, 900e3, 4e6))
	writeDoc(t, dir, "torch-eager__r2_mnist.json", doc("torch-eager", c.Params, torchCheck, 50e3, 300e3, 1e6))
	writeDoc(t, dir, "torch-script__r2_mnist.json", doc("torch-script", c.Params, torchCheck, 60e3, 200e3, 2e6))
	r, err := Load(dir, "../../testdata/specs")
	if err != nil {
		t.Fatal(err)
	}
	return r, c
}

func TestRows(t *testing.T) {
	r, c := syntheticRun(t, "ok")
	rows := r.Rows()
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	f1, fb, st := rows[0], rows[1], rows[2]
	if f1.FLOPs != c.Forward || fb.FLOPs != 32*c.Forward || st.FLOPs != 32*(c.Forward+c.Backward) {
		t.Errorf("FLOPs = %d, %d, %d; want forward, ×32, (forward+backward)×32", f1.FLOPs, fb.FLOPs, st.FLOPs)
	}
	if got := st.Speedup("ref"); got != 10 {
		t.Errorf("Step speedup over ref = %v, want 4 ms ÷ 400 µs = 10", got)
	}
	// The best PyTorch mode is chosen per row: eager for Forward, TorchScript for ForwardBatch.
	if f1.TorchWinner() != "eager" || fb.TorchWinner() != "TorchScript" || fb.Speedup("torch") != 2 {
		t.Errorf("torch best: %s, %s, speedup %v", f1.TorchWinner(), fb.TorchWinner(), fb.Speedup("torch"))
	}
	wantWeights := float64(4*c.Params) / 50
	if f1.Weights != wantWeights || f1.Floor() != max(wantWeights, float64(c.Forward)/100) {
		t.Errorf("forward1 floors %v, %v; want weights %v", f1.Weights, f1.Floor(), wantWeights)
	}
	if fb.Weights != 0 {
		t.Error("the weight floor is for batch 1 only")
	}
	// Forward runs on one goroutine: no scaling to report for it.
	if f1.Scaling() != 0 || fb.Scaling() != 100e3/60e3 || st.Scaling() != 400e3/250e3 {
		t.Errorf("2 threads ÷ 1: %v, %v, %v; want 0 (Forward), %v, %v", f1.Scaling(), fb.Scaling(), st.Scaling(), 100e3/60e3, 400e3/250e3)
	}
}

func TestMarkdownAndCSV(t *testing.T) {
	r, _ := syntheticRun(t, "ok")
	md := r.Markdown()
	if !strings.Contains(md, "| R2 mnist | Step | — | 10.0× | — | 2.50× | eager |") {
		t.Errorf("speedup row missing:\n%s", md)
	}
	if strings.Contains(md, "WARNING") {
		t.Error("warning without a mismatch")
	}
	var b bytes.Buffer
	if err := r.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "r2_mnist,step,torch,") {
		t.Errorf("CSV lacks the best-of-PyTorch line:\n%s", b.String())
	}
}

func TestMismatchWarns(t *testing.T) {
	r, _ := syntheticRun(t, "MISMATCH: loss")
	if !strings.Contains(r.Markdown(), "**WARNING: PyTorch eager on R2 mnist") {
		t.Error("no warning for a peer that disagrees with the reference")
	}
}
