package peak

import (
	"time"
)

// Result is one measurement of the machine.
type Result struct {
	CPU          CPU
	ClockGHz     float64 // measured with a chain of dependent adds
	AVX2GFLOPS   float64 // ymm FMA peak; 0 if the CPU lacks AVX2+FMA
	AVX512GFLOPS float64 // zmm FMA peak; 0 if the CPU lacks AVX-512F
	PeakGFLOPS   float64 // the larger of the two
	// L2ReadGBs is the read bandwidth of a 256 KiB buffer, larger than
	// L1 and smaller than the L2 of any current x86 core.
	L2ReadGBs float64
}

// L2BytesPerCycle is the measured L2 read bandwidth per clock cycle.
func (r Result) L2BytesPerCycle() float64 {
	if r.ClockGHz == 0 {
		return 0
	}
	return r.L2ReadGBs / r.ClockGHz
}

// Measure runs every loop a few times and keeps each one's best run, the
// one least disturbed by interrupts.
func Measure() Result {
	r := Result{CPU: ReadCPU()}
	if !Supported {
		return r
	}
	r.ClockGHz = best(func() float64 { return rate(addChain, 16) })
	if r.CPU.Has("avx2") && r.CPU.Has("fma") {
		r.AVX2GFLOPS = best(func() float64 { return rate(fmaAVX2, 192) })
	}
	if r.CPU.Has("avx512f") {
		r.AVX512GFLOPS = best(func() float64 { return rate(fmaAVX512, 768) })
	}
	r.PeakGFLOPS = max(r.AVX2GFLOPS, r.AVX512GFLOPS)
	if r.CPU.Has("avx") {
		r.L2ReadGBs = best(l2Read)
	}
	return r
}

// best returns the largest of seven runs of f.
func best(f func() float64) float64 {
	var b float64
	for range 7 {
		b = max(b, f())
	}
	return b
}

// rate runs loop for ~20 ms and returns units per nanosecond (GFLOP/s for
// the FMA loops, GHz for the add chain), perIter units per iteration.
func rate(loop func(int), perIter float64) float64 {
	iters := 1 << 10
	for {
		t := time.Now()
		loop(iters)
		d := time.Since(t)
		if d > 20*time.Millisecond {
			return perIter * float64(iters) / float64(d.Nanoseconds())
		}
		iters *= 2
	}
}

// l2Read returns GB/s reading an L2-resident buffer.
func l2Read() float64 {
	const n = 64 << 10 // floats: 256 KiB
	buf := make([]float32, n)
	readSum(&buf[0], n, 4) // bring it into L2
	sweep := func(reps int) { readSum(&buf[0], n, reps) }
	return rate(sweep, 4*n)
}
