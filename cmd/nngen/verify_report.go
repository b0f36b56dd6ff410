package main

import (
	"fmt"
	"io"
	"math"

	"github.com/nngen/nngen/spec"
)

// collector pairs the harness's records with the reference's values.
type collector struct {
	m    *spec.Model
	recs map[string]record
	tol  float64
	qs   []quantity
	err  error
}

func (c *collector) add(name string, want []float64, tol float64) {
	r, ok := c.recs[name]
	if !ok && c.err == nil {
		c.err = fmt.Errorf("the generated package reported no %q", name)
	}
	c.qs = append(c.qs, quantity{name: name, got: r.floats(), want: want, tol: tol})
}

// params adds one quantity per parameter from a weights-file record.
func (c *collector) params(name string, want [][]float64, tol float64) {
	got, err := c.recs[name].params(c.m)
	if err != nil {
		if c.err == nil {
			c.err = fmt.Errorf("%s: %w", name, err)
		}
		return
	}
	// Errors are normwise over the whole set (all gradients, all
	// parameters): a small tensor whose entries cancel, such as a bias
	// gradient of 1e-4 beside weight gradients of 1e-1, is judged against
	// the largest entry of the set, not its own.
	var setScale float64
	for _, w := range want {
		setScale = math.Max(setScale, maxAbs(w))
	}
	for i, p := range c.m.Params {
		w := want[i]
		if tol == 0 && c.m.DType == spec.Float32 {
			w = make([]float64, len(want[i]))
			for j, v := range want[i] {
				w[j] = float64(float32(v))
			}
		}
		c.qs = append(c.qs, quantity{name: name + " " + p.Name, got: got[i], want: w, tol: tol, scale: setScale})
	}
}

// updates adds one quantity per parameter: the generated code's change
// after − before against the reference's want − before, judged normwise
// over the whole update, or, where the update is smaller than that, over
// four roundings of the largest parameter in the dtype divided by the
// tolerance: a change is no more exact than the parameters it is the
// difference of (a float32 weight of 0.1 does not move by 10⁻¹²).
func (c *collector) updates(name string, before, want, after [][]float64) {
	var setScale, params float64
	d := make([][]float64, len(want))
	for i := range want {
		d[i] = make([]float64, len(want[i]))
		for j := range want[i] {
			d[i][j] = want[i][j] - before[i][j]
		}
		setScale, params = math.Max(setScale, maxAbs(d[i])), math.Max(params, maxAbs(before[i]))
	}
	roundoff := 0x1p-53
	if c.m.DType == spec.Float32 {
		roundoff = 0x1p-24
	}
	setScale = math.Max(setScale, 4*roundoff*params/c.tol)
	for i, p := range c.m.Params {
		got := make([]float64, len(after[i]))
		for j := range got {
			got[j] = after[i][j] - before[i][j]
		}
		c.qs = append(c.qs, quantity{name: name + " " + p.Name, got: got, want: d[i], tol: c.tol, scale: setScale})
	}
}

func (c *collector) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// errors returns the largest absolute error, the normwise relative error
// and the largest distance in units in the last place of the dtype.
func (q quantity) errors(d spec.DType) (abs, rel float64, ulp uint64) {
	scale := q.scale
	for i, w := range q.want {
		scale = math.Max(scale, math.Abs(w))
		if i < len(q.got) {
			abs = math.Max(abs, math.Abs(q.got[i]-w))
			ulp = max(ulp, ulps(q.got[i], w, d))
		}
	}
	if len(q.got) != len(q.want) {
		return math.Inf(1), math.Inf(1), math.MaxUint64
	}
	if scale > 0 {
		rel = abs / scale
	} else if abs > 0 {
		rel = math.Inf(1)
	}
	return abs, rel, ulp
}

// ulps is the number of representable values of the dtype between a and b.
func ulps(a, b float64, d spec.DType) uint64 {
	if d == spec.Float32 {
		return diff(ordered32(float32(a)), ordered32(float32(b)))
	}
	return diff(ordered64(a), ordered64(b))
}

// ordered maps floats to integers in the same order, adjacent floats to
// adjacent integers.
func ordered64(x float64) int64 {
	i := int64(math.Float64bits(x))
	if i < 0 {
		i = math.MinInt64 - i
	}
	return i
}

func ordered32(x float32) int64 {
	i := int64(int32(math.Float32bits(x)))
	if i < 0 {
		i = math.MinInt32 - i
	}
	return i
}

func diff(a, b int64) uint64 {
	if a > b {
		return uint64(a - b)
	}
	return uint64(b - a)
}

// report prints one line per quantity and returns the exit status.
func report(w io.Writer, m *spec.Model, qs []quantity) int {
	failed := 0
	width := 0
	for _, q := range qs {
		width = max(width, len(q.name))
	}
	for _, q := range qs {
		abs, rel, ulp := q.errors(m.DType)
		ok := rel <= q.tol && (q.tol > 0 || ulp == 0)
		verdict := "ok"
		if !ok {
			verdict, failed = "FAIL", failed+1
		}
		fmt.Fprintf(w, "%-*s  abs %8.2e  rel %8.2e  ulp %6d  tol %7.1e  %s\n", width, q.name, abs, rel, ulp, q.tol, verdict)
	}
	if failed > 0 {
		fmt.Fprintf(w, "FAIL: %s (%s): %d of %d quantities past tolerance\n", m.Name, m.DType, failed, len(qs))
		return exitFail
	}
	fmt.Fprintf(w, "ok: %s (%s): %d quantities within tolerance\n", m.Name, m.DType, len(qs))
	return exitOK
}
