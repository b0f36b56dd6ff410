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
var softmaxRows = []int{0, 1, 3, 12}

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

// specialRows fills the last rows of t (n logits each) from the third
// on, as far as there are rows: NaN in the middle of ordinary logits, at
// t[0], and first and last; +Inf; −Inf; rows of ±0 only, alternating from
// +0 and from −0, and all −0, where MAXPS's choice between −0 and +0 shows.
func specialRows[T float32 | float64](t []T, n int) {
	nan, inf, zero := T(math.NaN()), T(math.Inf(1)), T(0)
	negZero := T(math.Copysign(0, -1))
	zeros := func(first, second T) func(row []T) {
		return func(row []T) {
			for i := range row {
				row[i] = [2]T{first, second}[i%2]
			}
		}
	}
	fills := []func(row []T){
		func(row []T) { row[len(row)/2] = nan },
		func(row []T) { row[len(row)-1] = inf },
		func(row []T) { row[0] = -inf },
		zeros(zero, negZero),
		zeros(negZero, zero),
		zeros(negZero, negZero),
		func(row []T) { row[0] = nan },
		func(row []T) { row[0], row[len(row)-1] = nan, nan },
	}
	rows := 0
	if n > 0 {
		rows = len(t) / n
	}
	for i, f := range fills {
		if r := rows - 1 - i; r >= 2 {
			f(t[r*n : (r+1)*n])
		}
	}
}

// maxpsPartials is a row's maximum as the kernels define it, plainly: 16
// partials from t[0], element i into partial i mod 16 by MAXPS (a > b ? a
// : b), then halving; Generic takes a shortcut where it cannot differ.
func maxpsPartials[T float32 | float64](row []T) T {
	var p [16]T
	for j := range p {
		p[j] = row[0]
	}
	maxps := func(a, b T) T {
		if a > b {
			return a
		}
		return b
	}
	for i, x := range row {
		p[i%16] = maxps(p[i%16], x)
	}
	for w := 8; w > 0; w /= 2 {
		for j := range w {
			p[j] = maxps(p[j], p[j+w])
		}
	}
	return p[0]
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
		if want := maxpsPartials(row); !sameBits([]T{mx[r]}, []T{want}) { // bitwise: −0 is not +0
			t.Fatalf("%s row %d: max %v, MAXPS's partials %v (%v)", k.name, r, mx[r], want, row)
		}
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

// shortRows: given fewer rows of logits, exponentials or maxima than of
// sum, every path panics rather than read or write past them (the
// dispatcher checks; Generic indexes).
func shortRows[T float32 | float64](t *testing.T, k softmaxKernel[T]) {
	for _, p := range allPaths {
		if SetKernels(p) != nil {
			continue
		}
		for i, short := range []string{"exps", "t", "mx"} {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%s %s: no panic on a short %s", p, k.name, short)
					}
				}()
				n := [3]int{2 * k.n, 2 * k.n, 2}
				n[i]--
				k.run(make([]T, n[0]), make([]T, n[1]), make([]T, n[2]), make([]T, 2))
			}()
		}
	}
}
