package main

import (
	"runtime"

	"github.com/nngen/nngen/bench/peak"
	"github.com/nngen/nngen/bench/report"
)

// measureMachine measures the clock, FMA peak and L2 read bandwidth of the
// core this process runs on.
func measureMachine() report.Machine {
	r := peak.Measure()
	return report.Machine{
		CPU:          r.CPU.Model,
		Flags:        r.CPU.Flags,
		GoVersion:    runtime.Version(),
		ClockGHz:     r.ClockGHz,
		AVX2GFLOPS:   r.AVX2GFLOPS,
		AVX512GFLOPS: r.AVX512GFLOPS,
		PeakGFLOPS:   r.PeakGFLOPS,
		L2ReadGBs:    r.L2ReadGBs,
		L2BPerCycle:  r.L2BytesPerCycle(),
	}
}
