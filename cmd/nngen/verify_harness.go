package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"text/template"

	"github.com/nngen/nngen/gen"
	"github.com/nngen/nngen/spec"
)

// The harness runs inside the generated package (it uses the unexported
// layerOutputs hook). It reads verify_in.bin — the seed, then the inputs
// and targets as little-endian float64s — and writes verify_out.bin, a
// list of records: name length (uint32), name, kind ('f': float64 values,
// 'b': raw bytes), length (uint32), payload.
var harness = template.Must(template.New("harness").Parse(`package {{.Pkg}}

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"testing"
	"unsafe"
)

type verifyOut struct{ buf []byte }

func (w *verifyOut) record(name string, kind byte, payload []byte) {
	w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(len(name)))
	w.buf = append(w.buf, name...)
	w.buf = append(w.buf, kind)
	w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(len(payload)))
	w.buf = append(w.buf, payload...)
}

func (w *verifyOut) floats(name string, v []{{.T}}) {
	var p []byte
	for _, x := range v {
		p = binary.LittleEndian.AppendUint64(p, math.Float64bits(float64(x)))
	}
	w.record(name, 'f', p)
}

func (w *verifyOut) params(t *testing.T, name string, p *Params) {
	data, err := p.MarshalSafetensors()
	if err != nil {
		t.Fatal(err)
	}
	w.record(name, 'b', data)
}

const verifySteps = {{.Steps}}

func TestNNGenVerify(t *testing.T) {
	in, err := os.ReadFile("verify_in.bin")
	if err != nil {
		t.Fatal(err)
	}
	next := func() float64 {
		v := math.Float64frombits(binary.LittleEndian.Uint64(in))
		in = in[8:]
		return v
	}
	seed := binary.LittleEndian.Uint64(in)
	in = in[8:]
	var x [BatchSize]Input
	xs := (*[BatchSize * InputSize]{{.T}})(unsafe.Pointer(&x))
	for i := range xs {
		xs[i] = {{.T}}(next())
	}
	var y [BatchSize]Target
{{- if eq .Loss "mse"}}
	ys := (*[BatchSize * OutputSize]{{.T}})(unsafe.Pointer(&y))
	for i := range ys {
		ys[i] = {{.T}}(next())
	}
{{- else}}
	for i := range y {
		y[i] = Target(next())
	}
{{- end}}
	m := New()
	m.Init(seed)
	var w verifyOut
	w.params(t, "init", &m.Params)
	var out [BatchSize]Output
	m.ForwardBatch(&x, &out)
	ids, outs := m.layerOutputs(&x)
	for i, id := range ids {
		w.floats("forward "+id, outs[i])
	}
	var one Output
	m.Forward(&x[0], &one)
	w.floats("forward1", (*[OutputSize]{{.T}})(unsafe.Pointer(&one))[:])
	w.floats("loss", []{{.T}}{m.Loss(&x, &y)})
	w.floats("backward J", []{{.T}}{m.Backward(&x, &y)})
	w.params(t, "grad", &m.Grad)
	for s := 1; s <= verifySteps; s++ { // several, so that momentum and Adam's moments and bias corrections count
		m.Step(&x, &y)
		w.params(t, fmt.Sprintf("step %d grad", s), &m.Grad)
		w.params(t, fmt.Sprintf("step %d params", s), &m.Params)
	}
	if err := os.WriteFile("verify_out.bin", w.buf, 0o644); err != nil {
		t.Fatal(err)
	}
}
`))

// verifySteps is how many Steps verify checks, each on its own.
const verifySteps = 3

// harnessResult is what one run of the generated package reports.
type harnessResult struct {
	recs    map[string]record
	order   []string
	ownTest error // the package's own test (vectors, no allocations, weights), run after the harness
}

// runHarness generates m's package into a temporary module with the
// harness, runs the harness alone (so that its records arrive even when
// something else fails), then the package's own tests. The module, and
// everything go test creates (GOTMPDIR and TMPDIR point into it), is
// removed on return, also when ctx is cancelled mid-test.
func runHarness(ctx context.Context, m *spec.Model, in []byte) (*harnessResult, error) {
	tmp, err := os.MkdirTemp("", "nngen-verify-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	files, err := gen.Generate(m, gen.Options{})
	if err != nil {
		return nil, err
	}
	var h bytes.Buffer
	if err := harness.Execute(&h, map[string]string{"Pkg": m.Name, "T": m.DType.String(), "Loss": m.Loss.String(), "Steps": strconv.Itoa(verifySteps)}); err != nil {
		return nil, err
	}
	pkgDir := filepath.Join(tmp, m.Name)
	files["zz_nngen_verify_test.go"] = h.Bytes()
	files["verify_in.bin"] = in
	if err := writeAll(pkgDir, files); err != nil {
		return nil, err
	}
	if err := os.Mkdir(filepath.Join(tmp, ".tmp"), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), []byte("module verifytmp\n\ngo 1.26\n"), 0o644); err != nil {
		return nil, err
	}
	if err := goTest(ctx, tmp, m.Name, "-run=^TestNNGenVerify$"); err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, fmt.Errorf("go test of the generated package failed: %w", err)
	}
	out, err := os.ReadFile(filepath.Join(pkgDir, "verify_out.bin"))
	if err != nil {
		return nil, err
	}
	recs, order, err := parseRecords(out)
	if err != nil {
		return nil, err
	}
	ownTest := goTest(ctx, tmp, m.Name)
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	return &harnessResult{recs: recs, order: order, ownTest: ownTest}, nil
}

// goTest runs `go test` on the package in dir/pkg; the error carries its
// output, or is ctx's cause when ctx stopped the test.
func goTest(ctx context.Context, dir, pkg string, flags ...string) error {
	cmd := exec.CommandContext(ctx, goTool(), append(append([]string{"test", "-count=1"}, flags...), "./"+pkg)...)
	cmd.Dir = dir
	scratch := filepath.Join(dir, ".tmp") // a dot directory: not a package
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOTMPDIR="+scratch, "TMPDIR="+scratch)
	interruptGroup(cmd)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	if err != nil {
		return fmt.Errorf("%w\n%s", err, out)
	}
	return nil
}

func writeAll(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// goTool is the go command: the one on PATH, else the toolchain's own.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}
