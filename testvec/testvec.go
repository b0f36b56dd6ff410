// Package testvec computes the test vectors a generated package carries: the
// reference implementation's outputs, loss, gradients and one SGD step for a
// fixed seed and a batch drawn from the same seed, rendered into the
// package's test from templates/model_test.go.tmpl.
package testvec

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nngen/nngen/asm"
	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/ref"
	"github.com/nngen/nngen/spec"
	"github.com/nngen/nngen/templates"
	"github.com/nngen/nngen/weightinit"
)

// Seed is the seed of the vectors nngen writes: parameters from Init(Seed),
// the batch from Batch(m, Seed).
const Seed = 1

// samplesPerParam bounds the gradient elements stored per parameter, so the
// test file stays small for big layers (R2's first layer has 100,352).
const samplesPerParam = 16

// maxOutputs bounds the outputs stored: all of a batch's outputs up to this
// many, else this many evenly spaced over them, the first and the last
// included. With the parameters' samples, the test file stays under a few
// megabytes for any spec the checker accepts (its size grows with the
// number of layers only).
const maxOutputs = 1024

// Batch draws a batch the way the generated test does: SplitMix64 seeded
// with seed, every input element uniform in [−1, 1), example by example;
// then the targets: a class index (crossentropy), 0 or 1 (logistic), or a
// vector uniform in [−1, 1) (mse). Targets are in the reference's layout.
func Batch(m *spec.Model, seed uint64) (x, y [][]float64) {
	r := weightinit.NewRand(seed)
	uniform := func() float64 { return 2*r.Float64() - 1 }
	x = make([][]float64, m.Batch)
	for b := range x {
		x[b] = make([]float64, m.Input.Size())
		for i := range x[b] {
			x[b][i] = uniform()
		}
	}
	y = make([][]float64, m.Batch)
	for b := range y {
		switch m.Loss {
		case spec.CrossEntropy:
			y[b] = []float64{float64(r.Uint64() % uint64(m.Output.Size()))}
		case spec.Logistic:
			y[b] = []float64{float64(r.Uint64() & 1)}
		default:
			y[b] = make([]float64, m.Output.Size())
			for i := range y[b] {
				y[b][i] = uniform()
			}
		}
	}
	return x, y
}

// sample is some elements of one parameter tensor.
type sample struct {
	Field string
	Idx   []int
	Vals  []string
}

type testData struct {
	Package, SpecFile, DType, Tolerance, Loss string
	Seed                                      uint64
	RowsGEMV                                  bool     // a kernel has its AVX-512 rows form too (asm.HasRowsVariant)
	UnitSplit                                 bool     // the first layer runs by blocks of units (ir.SplitUnits): threads have no workspaces
	OutputIdx                                 []int    // sampled elements of the batch's outputs, flattened
	Outputs                                   []string // their values
	Grads, Stepped                            []sample
	Kernels                                   []kernel
	// FLOPs of one call, from spec.Model.Total, for the benchmarks' GFLOP/s.
	ForwardFlops, BatchFlops, StepFlops int64
	CrossEntropy                        bool // the package checks class indices
	Train                               bool // a training package (not -mode infer)
	Embedded                            bool // the package embeds trained weights
	HasParams                           bool // the network has parameters
	Steps                               bool // the optimizer counts its steps (Adam)
	Updates                             []Update
	Logistic                            bool   // the package checks labels
	OutputBuf                           string // the forward workspace's output buffer
	FirstLayerNorm                      bool   // the network starts with a layernorm
}

// Update is one SIMD update kernel, for the test that compares it with its
// Generic twin bit for bit.
type Update struct {
	Name             string
	N                int
	Tensors, Scalars int
	NonNegative      int // the tensor that must be ≥ 0 (Adam's second moment), or -1
}

// Args is the kernel's argument list over tensors arr and scalars s.
func (u Update) Args(arr string) string {
	var a []string
	for i := 0; i < u.Tensors; i++ {
		a = append(a, fmt.Sprintf("&%s[%d]", arr, i))
	}
	for i := 0; i < u.Scalars; i++ {
		a = append(a, fmt.Sprintf("s[%d]", i))
	}
	return strings.Join(a, ", ")
}

// kernel is one matrix product, for the benchmarks.
type kernel struct {
	Name, Key        string // Go name; identity by shape, the benchmark's name
	LenC, LenA, LenB int
	Flops            int64
	Rows             string // ", 0, rows" for a kernel that takes a row range, else ""
}

// Render returns the Go test file for m's generated package, whose matrix
// products are kernels.
func Render(m *spec.Model, pkg string, kernels []ir.Matmul, updates []Update, outputBuf string, train, embedded, unitSplit bool) ([]byte, error) {
	x, y := Batch(m, Seed)
	net := ref.New(m)
	net.Init(Seed)
	d := testData{Package: pkg, SpecFile: m.File, DType: m.DType.String(), Seed: Seed,
		Tolerance: "1e-10"}
	d.CrossEntropy = m.Loss == spec.CrossEntropy
	d.Train, d.Embedded, d.HasParams, d.UnitSplit = train, embedded, len(m.Params) > 0, unitSplit
	d.Steps = m.Optimizer.Kind != spec.SGD
	d.Updates = updates
	d.Logistic = m.Loss == spec.Logistic
	d.OutputBuf = outputBuf
	d.FirstLayerNorm = m.Layers[0].Kind == spec.LayerNorm && m.DType == spec.Float32
	t, B := m.Total(), int64(m.Batch)
	d.ForwardFlops, d.BatchFlops, d.StepFlops = t.Forward, t.Forward*B, (t.Forward+t.Backward)*B
	for _, k := range kernels {
		rows := ""
		if k.Batched { // the whole batch: the range the assembly runs
			rows = fmt.Sprintf(", 0, %d", k.Rows())
		}
		d.Kernels = append(d.Kernels, kernel{k.Name(), k.Key(), k.M * k.N, k.ALen(), k.BLen(), k.Flops(), rows})
		d.RowsGEMV = d.RowsGEMV || asm.HasRowsVariant(k)
	}
	if m.DType == spec.Float32 {
		d.Tolerance = "2e-4"
	}
	var outputs []float64
	for _, row := range net.Forward(x).Logits {
		outputs = append(outputs, row...)
	}
	for _, j := range spread(len(outputs), maxOutputs) {
		d.OutputIdx = append(d.OutputIdx, j)
		d.Outputs = append(d.Outputs, format(outputs[j]))
	}
	loss, grads := net.Backward(x, y)
	d.Loss = format(loss)
	d.Grads = samples(m, grads)
	net.Step(x, y)
	d.Stepped = samples(m, net.Params)
	return templates.Render("model_test.go.tmpl", d)
}

// samples picks up to samplesPerParam evenly spaced elements of each tensor,
// always including the first and the last.
func samples(m *spec.Model, tensors [][]float64) []sample {
	var out []sample
	for i, p := range m.Params {
		t := tensors[i]
		s := sample{Field: p.Name}
		for _, j := range spread(len(t), samplesPerParam) {
			s.Idx = append(s.Idx, j)
			s.Vals = append(s.Vals, format(t[j]))
		}
		out = append(out, s)
	}
	return out
}

// spread is min(n, k) evenly spaced indices in [0, n), increasing, the
// first and the last included: every index when n ≤ k.
func spread(n, k int) []int {
	k = min(k, n)
	idx := make([]int, k)
	for i := range idx {
		if k > 1 {
			idx[i] = int(int64(i) * int64(n-1) / int64(k-1))
		}
	}
	return idx
}

func format(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
