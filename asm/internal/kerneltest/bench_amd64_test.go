//go:build gc && !purego

package kerneltest

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// Run one core: taskset -c 1 go test -run '^$' -bench . ./asm/internal/kerneltest

// peaks measures a path's FP32 FMA peak in GFLOP/s. Each benchmark measures
// it again just before running, so % of peak compares like with like on a
// machine whose load changes.
var peaks = map[string]func() float64{
	"avx2":   func() float64 { return peakGFLOPS(peakAVX2, 12*8*2) },
	"avx512": func() float64 { return peakGFLOPS(peakAVX512, 24*16*2) },
}

// peakGFLOPS is the best of several short timed runs of a peak loop.
func peakGFLOPS(f func(int), flopsPerIter int) float64 {
	const n = 1 << 16
	best := 0.0
	for range 50 {
		t := time.Now()
		f(n)
		best = max(best, float64(n)*float64(flopsPerIter)/time.Since(t).Seconds()/1e9)
	}
	return best
}

func supported(path string) bool { return SetKernels(path) == nil }

func BenchmarkPeak(b *testing.B) {
	defer SetKernels("auto")
	for _, p := range []string{"avx512", "avx2"} {
		if !supported(p) {
			continue
		}
		f, fl := peakAVX2, 12*8*2
		if p == "avx512" {
			f, fl = peakAVX512, 24*16*2
		}
		b.Run(p, func(b *testing.B) {
			for b.Loop() {
				f(1 << 12)
			}
			b.ReportMetric(float64(b.N)*float64(fl<<12)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// benchNames are the reference networks' products (R2 at batch 32 and 1, R3).
var benchNames = []string{
	"NT32x128x784f32", "TN128x784x32f32", "NN32x784x128f32",
	"NT32x10x128f32", "TN10x128x32f32", "NN32x128x10f32",
	"NT32x64x64f32", "TN64x64x32f32", "NN32x64x64f32",
	"NT1x128x784f32", "NN1x784x128f32", "TN128x784x1f32",
	"NT32x64x64f64", "TN64x64x32f64", "NN32x64x64f64",
}

func BenchmarkMatmul(b *testing.B) {
	for _, n := range benchNames {
		if strings.HasSuffix(n, "f64") {
			benchKernel(b, find(kernels64, "matmul"+n))
		} else {
			benchKernel(b, find(kernels32, "matmul"+n))
		}
	}
}

func find[T float32 | float64](ks []kernel[T], name string) kernel[T] {
	for _, k := range ks {
		if k.name == name {
			return k
		}
	}
	panic("no kernel " + name)
}

func benchKernel[T float32 | float64](b *testing.B, k kernel[T]) {
	defer SetKernels("auto")
	rng := rand.New(rand.NewPCG(1, 2))
	_, a := buffer[T](rng, k.alen)
	_, bb := buffer[T](rng, k.blen)
	_, c := buffer[T](rng, k.m*k.n)
	for _, p := range allPaths {
		if !supported(p) {
			continue
		}
		b.Run(k.name[len("matmul"):]+"/"+p, func(b *testing.B) {
			pk := pathPeak(p, k)
			SetKernels(p)
			// Time batches and keep the fastest: other processes on a
			// shared machine only ever slow a batch down.
			const batch = 8
			best := time.Duration(1 << 62)
			for b.Loop() {
				t := time.Now()
				for range batch {
					k.run(c, a, bb)
				}
				best = min(best, time.Since(t))
			}
			g := k.flops() * batch / best.Seconds() / 1e9
			b.ReportMetric(g, "GFLOP/s")
			b.ReportMetric(100*g/pk, "%peak")
		})
	}
}

// pathPeak is the FMA peak of the path (the best assembly path's for
// generic), halved for float64.
func pathPeak[T float32 | float64](p string, k kernel[T]) float64 {
	pk := peaks["avx2"]()
	if p == "avx512" || (p == "generic" && supported("avx512")) {
		pk = peaks["avx512"]()
	}
	if SetKernels(p); strings.HasSuffix(k.name, "f64") {
		pk /= 2
	}
	return pk
}
