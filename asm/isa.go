package asm

import (
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/ir"
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
	// dotRows: an NT product with one row (M = 1) streamed from L2 runs
	// one row of B at a time (planRows). Measured on Zen 5: 1.3× faster
	// than 1×8 dot tiles with 64-byte vectors, 1.4× slower with 32-byte
	// ones, whose two loads a FMA move half the bytes; on an Intel Xeon
	// (family 6, model 207) 1.28× slower than 1×8 and 1×10 tiles with
	// 64-byte vectors (R2's Forward, 4.01 against 3.14 µs). So such a
	// product gets both AVX-512 forms (avx512Rows, HasRowsVariant) and the
	// package picks by vendor (nngenRowsGEMV). (One column, N = 1, runs
	// one row of A at a time on both paths: AVX2's 5×1 tiles read five
	// rows 16 KiB apart in NT32x1x4096 and ran 1.2× slower.)
	dotRows bool
	// rowUnroll: the k steps of an iteration of a broadcast-form product
	// with one row (M = 1), whose B streams past once. Measured on Zen 5,
	// AVX-512 TN1x4096x32 (B's rows 16 KiB apart) ran at 93 GFLOP/s
	// unrolled by 8, 64 by 1 or 4; AVX2 the same either way.
	rowUnroll int
}

// avx512 broadcasts A into a register once per row and k (VBROADCASTSS),
// as AVX2 does, rather than in every FMA's memory operand: that is mr·w
// loads a k step instead of mr + w, and on the EPYC (Zen 5) of the speed
// reports R5's 32×128×160 product ran its 7×64 tiles at 73% of the FMA
// peak with embedded broadcasts against 100% for 8×48 tiles this way.
var (
	avx512     = isa{name: "AVX512", vecBytes: 64, nregs: 32, opmask: true, rowUnroll: 8}
	avx512Rows = isa{name: "AVX512Rows", vecBytes: 64, nregs: 32, opmask: true, dotRows: true, rowUnroll: 8}
	avx2       = isa{name: "AVX2", vecBytes: 32, nregs: 16, dotSpare: 4}
)

// rowsPaths are paths with avx512Rows, for a product that has it.
var rowsPaths = []isa{avx512, avx512Rows, avx2}

// kernelPaths are the paths m's function is emitted for: paths, and
// avx512Rows where its plan differs (HasRowsVariant).
func kernelPaths(m ir.Matmul) []isa {
	if HasRowsVariant(m) {
		return rowsPaths
	}
	return paths
}

// elemPaths are the paths row kernel e's function is emitted for: AVX2
// only where ir says it has one (Elementwise.HasAVX2).
func elemPaths(e ir.Elementwise) []isa {
	if !e.HasAVX2() {
		return []isa{avx512}
	}
	return paths
}

// HasRowsVariant reports whether m, a matrix-vector product streamed from
// L2 (streamedGEMV), has a second AVX-512 function, NAMEAVX512Rows, that
// runs the matrix one row at a time (isa.dotRows).
func HasRowsVariant(m ir.Matmul) bool {
	return HasAsm(m) && m.TransB && !m.Windowed() && streamedGEMV(m.M, m.N, m.K, elemSize(m.DType), m.Batched)
}

// streamedGEMV reports whether an NT product is one row of A against a
// matrix B of more than rowsBytes, which planDot runs one row of B at a
// time on a dotRows path.
func streamedGEMV(M, N, K, esize int, batched bool) bool {
	return M == 1 && !batched && N > 1 && N*K*esize > rowsBytes
}

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
