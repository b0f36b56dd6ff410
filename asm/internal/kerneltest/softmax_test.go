package kerneltest

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

func TestSoftmax32(t *testing.T) { softmaxConformance(t, softmaxes32) }
func TestSoftmax64(t *testing.T) { softmaxConformance(t, softmaxes64) }

// softmaxRows is the rows each kernel runs: none, one, and several, the
// last of which hold NaN, ±Inf and rows of ±0 only (specialRows).
var softmaxRows = []int{0, 1, 3, 7}

// softmaxConformance runs every softmax kernel on every path against
// Generic, bit for bit (the same partials, reduced in the same order, and
// the same eˣ), over runs of rows whose logits end at an inaccessible page;
// it checks Generic against math in float64 on the ordinary rows, and that
// nothing outside mx, sum and the rows' exps is written.
func softmaxConformance[T float32 | float64](t *testing.T, ks []softmaxKernel[T]) {
	defer SetKernels("auto")
	if len(ks) == 0 {
		t.Fatal("no softmax kernels generated")
	}
	for _, k := range ks {
		for _, rows := range softmaxRows {
			rng := rand.New(rand.NewPCG(uint64(k.n), uint64(rows)))
			logits, free := fenced[T](t, rng, rows*k.n)
			for i := range logits {
				logits[i] *= 40 // past eˣ's lower clamp in the widest rows
			}
			specialRows(logits, k.n)
			t0 := append([]T(nil), logits...)
			run := func(f func(exps, t, mx, sum []T)) (exps, mx, sum []T) {
				expsAll, exps := buffer[T](rng, rows*k.n)
				mxAll, mx := buffer[T](rng, rows)
				sumAll, sum := buffer[T](rng, rows)
				f(exps, logits, mx, sum)
				for _, all := range [][]T{expsAll, mxAll, sumAll} {
					for i := range guard {
						if !isNaN(all[i]) || !isNaN(all[len(all)-1-i]) {
							t.Fatalf("%s, %d rows: wrote outside exps, mx or sum", k.name, rows)
						}
					}
				}
				if !sameBits(logits, t0) {
					t.Fatalf("%s, %d rows: modified t", k.name, rows)
				}
				return exps, mx, sum
			}
			wantE, wantM, wantS := run(k.generic)
			checkSoftmax(t, k, logits, wantE, wantM, wantS)
			for _, p := range allPaths {
				if SetKernels(p) != nil {
					continue
				}
				e, m, s := run(k.run)
				if !sameBits(e, wantE) || !sameBits(m, wantM) || !sameBits(s, wantS) {
					t.Errorf("%s %s, %d rows: differs from Generic", p, k.name, rows)
				}
			}
			free()
		}
		shortRows(t, k)
	}
}

// specialRows fills the last rows of t (n logits each), as far as there
// are more than two rows: a NaN among ordinary logits, +Inf, −Inf, and a
// row of ±0 only, where MAXPS's choice between −0 and +0 shows.
func specialRows[T float32 | float64](t []T, n int) {
	rows := 0
	if n > 0 {
		rows = len(t) / n
	}
	put := func(r int, f func(row []T)) {
		if r >= 2 && r < rows {
			f(t[r*n : (r+1)*n])
		}
	}
	put(rows-1, func(row []T) { row[len(row)/2] = T(math.NaN()) })
	put(rows-2, func(row []T) { row[len(row)-1] = T(math.Inf(1)) })
	put(rows-3, func(row []T) { row[0] = T(math.Inf(-1)) })
	put(rows-4, func(row []T) {
		for i := range row {
			row[i] = T(math.Copysign(0, float64(1-2*(i%2))))
		}
	})
}

// checkSoftmax compares Generic's rows with math in float64: the maximum
// exact, each e^(t − max) (the difference rounded to T) within a few units of T's last place (or of eˣ
// at its lower clamp), their sum within that times n. A row with a NaN,
// a +Inf or only −Inf has a NaN sum (and no meaningful rest).
func checkSoftmax[T float32 | float64](t *testing.T, k softmaxKernel[T], logits, exps, mx, sum []T) {
	tol, floor := 8*math.Pow(2, -52), 2*math.Exp(-708)
	if unsafe.Sizeof(T(0)) == 4 {
		tol, floor = 8*math.Pow(2, -23), 2*math.Exp(-87)
	}
	for r := range mx {
		row := logits[r*k.n : (r+1)*k.n]
		m, hasNaN := math.Inf(-1), false
		for _, x := range row {
			hasNaN = hasNaN || isNaN(x)
			m = max(m, float64(x))
		}
		if nan := hasNaN || math.IsInf(m, 0); nan != isNaN(sum[r]) {
			t.Fatalf("%s row %d: sum %v of %v", k.name, r, sum[r], row)
		} else if nan {
			continue
		}
		if float64(mx[r]) != m {
			t.Fatalf("%s row %d: max %v, want %v", k.name, r, mx[r], m)
		}
		s := 0.0
		for i, x := range row {
			want := math.Exp(float64(x - mx[r])) // of the difference rounded to T, as the kernel takes it
			s += want
			if got := float64(exps[r*k.n+i]); math.Abs(got-want) > tol*want+floor {
				t.Fatalf("%s row %d: e^(%v − %v) = %v, math %v", k.name, r, x, m, got, want)
			}
		}
		if math.Abs(float64(sum[r])-s) > float64(k.n)*(tol*s+floor) {
			t.Fatalf("%s row %d: sum %v, math %v", k.name, r, sum[r], s)
		}
	}
}

// shortRows: given fewer rows of logits than of sum, every path panics
// rather than read past t (the dispatcher checks; Generic indexes).
func shortRows[T float32 | float64](t *testing.T, k softmaxKernel[T]) {
	for _, p := range allPaths {
		if SetKernels(p) != nil {
			continue
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s %s: no panic on a short t", p, k.name)
				}
			}()
			k.run(make([]T, 2*k.n), make([]T, 2*k.n-1), make([]T, 2), make([]T, 2))
		}()
	}
}
