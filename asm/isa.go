package asm

import (
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/spec"
)

// isa describes one instruction-set path: its vector width, register file
// and the rough machine model the tiling planner uses.
type isa struct {
	name     string // function-name suffix: "AVX512", "AVX2"
	vecBytes int    // 64 or 32
	nregs    int    // architectural vector registers: 32 or 16
	bcastMem bool   // FMA takes an embedded broadcast memory operand (EVEX); unused, see avx512
	opmask   bool   // tails are masked with K registers (else VMASKMOVPS)
	// dotSpare registers the dot form leaves unused: measured on Zen 3, a
	// 2×4 AVX2 tile (11 registers) beats the 3×4 one (16) by 5-10% though
	// the cycle model rates them equal.
	dotSpare int
	// dotRows: matrix-vector products streamed from L2 run one matrix row
	// at a time (planRows). Measured on Zen 5: 1.3× faster than 1×8 dot
	// tiles with 64-byte vectors, 1.4× slower with 32-byte ones, whose
	// two loads a FMA move half the bytes.
	dotRows bool
}

// avx512 broadcasts A into a register once per row and k (VBROADCASTSS),
// as AVX2 does, rather than in every FMA's memory operand: that is mr·w
// loads a k step instead of mr + w, and on the EPYC (Zen 5) of the speed
// reports R5's 32×128×160 product ran its 7×64 tiles at 73% of the FMA
// peak with embedded broadcasts against 100% for 8×48 tiles this way.
var (
	avx512 = isa{name: "AVX512", vecBytes: 64, nregs: 32, opmask: true, dotRows: true}
	avx2   = isa{name: "AVX2", vecBytes: 32, nregs: 16, dotSpare: 4}
)

// paths lists the assembly paths in preference order.
var paths = []isa{avx512, avx2}

// Machine model for the planner (per core, per cycle): two FMA pipes of
// latency 4, two vector loads, one store. True of Skylake-SP..Sapphire Rapids
// for AVX-512 and of Haswell..Zen 4 for AVX2, to the precision needed here.
const (
	fmaPerCycle   = 2
	fmaLatency    = 4
	loadsPerCycle = 2
	tileOverhead  = 12 // cycles: loop bookkeeping and pointer set-up per tile
)

// vec returns vector register i at this path's width.
func (s isa) vec(i int) reg.VecPhysical {
	z := zregs[i]
	if s.vecBytes == 64 {
		return z
	}
	return z.AsY().(reg.VecPhysical)
}

// lanes is the number of elements of size esize in one vector.
func (s isa) lanes(esize int) int { return s.vecBytes / esize }

var zregs = []reg.VecPhysical{
	reg.Z0, reg.Z1, reg.Z2, reg.Z3, reg.Z4, reg.Z5, reg.Z6, reg.Z7,
	reg.Z8, reg.Z9, reg.Z10, reg.Z11, reg.Z12, reg.Z13, reg.Z14, reg.Z15,
	reg.Z16, reg.Z17, reg.Z18, reg.Z19, reg.Z20, reg.Z21, reg.Z22, reg.Z23,
	reg.Z24, reg.Z25, reg.Z26, reg.Z27, reg.Z28, reg.Z29, reg.Z30, reg.Z31,
}

// elemSize is the byte size of the kernel's element type.
func elemSize(d spec.DType) int {
	if d == spec.Float64 {
		return 8
	}
	return 4
}
