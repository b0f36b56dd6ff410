package main

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/nngen/nngen/ref"
	"github.com/nngen/nngen/spec"
	"github.com/nngen/nngen/weightinit"
)

// seed initialises every implementation's parameters (weightinit, shared
// by ref and the generated packages) and the data.
const seed = 1

// batchData is the fixed batch every implementation is timed on: inputs
// uniform in [-1, 1), and targets for the model's loss in ref's format.
type batchData struct {
	x [][]float64 // per example, flattened row-major
	y [][]float64 // crossentropy: {class}, logistic: {0 or 1}, mse: the output vector
}

func newData(m *spec.Model) batchData {
	r := weightinit.NewRand(seed + 1)
	uniform := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = 2*r.Float64() - 1
		}
		return v
	}
	var d batchData
	for b := range m.Batch {
		d.x = append(d.x, uniform(m.Input.Size()))
		switch m.Loss {
		case spec.CrossEntropy:
			d.y = append(d.y, []float64{float64(b % m.Output.Size())})
		case spec.Logistic:
			d.y = append(d.y, []float64{float64(b % 2)})
		default:
			d.y = append(d.y, uniform(m.Output.Size()))
		}
	}
	return d
}

// floats views a float32 array of any shape (Input, [BatchSize]Output, ...)
// as one flat slice.
func floats[T any](p *T) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(p)), unsafe.Sizeof(*p)/4)
}

// flatten copies rows one after the other into dst, converting to float32.
func flatten(dst []float32, rows [][]float64) {
	i := 0
	for _, row := range rows {
		for _, v := range row {
			dst[i] = float32(v)
			i++
		}
	}
}

// widen converts a float32 output to float64 for the check.
func widen(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// checkOutput runs forward1 and compares its output with the reference's
// on the same example and weights, so that a broken build is not timed
// silently. The verdict goes into the JSON.
func checkOutput(m *spec.Model, o *ops) string {
	if o.output == nil {
		return "is the reference"
	}
	n := ref.New(m)
	n.Init(seed)
	want := n.Forward(newData(m).x[:1]).Logits[0]
	o.forward1()
	got := o.output()
	worst := 0.0
	for i := range want {
		worst = max(worst, math.Abs(got[i]-want[i])/max(1, math.Abs(want[i])))
	}
	verdict := "ok"
	if worst > 1e-3 || math.IsNaN(worst) {
		verdict = "MISMATCH"
	}
	return fmt.Sprintf("%s: differs from ref by %.1e in the forward output (abs, or rel past 1)", verdict, worst)
}
