// Package asm emits the amd64 SIMD kernels of nngen's matrix products and
// their run-time dispatch, with avo (github.com/mmcloughlin/avo) as a library.
//
// # Emit's contract
//
//	files, err := asm.Emit(pkg, prefix, kernels, updates, elems)
//
// For package pkg and the products kernels (repeats allowed; output is sorted
// by ir.Matmul.Name, byte-identical for the same set), Emit returns three
// files named prefix+FileAsm, prefix+FileAMD64 and prefix+FileNoAsm:
//
//   - kernels_amd64.s (gc && !purego): for each kernel m, the functions
//     <m.Name()>AVX512 and <m.Name()>AVX2, the shape compiled in, each under a
//     "// Requires:" line; plus nngenCPUID and nngenXGETBV.
//   - kernels_amd64.go (gc && !purego): their //go:noescape stubs, whose doc
//     comment names the Generic twin; feature detection (CPUID leaf 1 and 7,
//     XCR0 for YMM, and opmask+ZMM state for AVX-512); the dispatcher
//     <m.Name()>(c, a, b); SetKernels and Kernels.
//   - kernels_noasm.go (!amd64 || !gc || purego): <m.Name()>(c, a, b) calling
//     Generic; SetKernels accepting only "generic" and "auto".
//
// The package must define, in an always-compiled file, for every kernel m
//
//	func <m.Name()>Generic(c *[M*N]T, a *[M*K]T, b *[m.BLen()]T)
//
// implementing ir.Matmul's loop exactly (m.ReferenceLoop; T is m.DType; A
// and B are read in the layouts ir.Matmul describes: no packed or
// transposed copies needed). Call sites call <m.Name()>(c, a, b). A
// Batched kernel (ir.Matmul.Batched) takes a row range of the batch:
// Generic, the assembly variants and the dispatcher are all
// <m.Name()>(c, a, b, lo, hi) (rows.go); the assembly of an NN or NT one
// may also write up to a tile of rows of c outside the range (before lo,
// or past hi when hi is below a tile's height), each computed from the same
// rows of a, so c's other rows must be the caller's scratch (a thread's
// own workspace). c must not
// overlap a or b. The
// generated code owns the identifier prefix "nngen" (nngenPath, nngenCPUID,
// nngenKernelsError, ...), the exported SetKernels and Kernels, and imports
// only "os".
//
// Each ir.Update u (an optimizer's step over N elements: SGD with or
// without momentum, Nesterov and weight decay, Adam, AdamW) gets the same:
// <u.Name()>AVX512 and AVX2, a dispatcher <u.Name()>(u.Args()), and the
// package must define <u.Name()>Generic as u.ReferenceLoop(). The kernels
// multiply and add in separate instructions, so every path is
// bit-identical to Generic.
//
// Path selection: at init the best path the CPU and OS support (avx512,
// avx2, generic), unless NNGEN_KERNELS=avx512|avx2|generic|auto names a
// supported one (an unsupported value is reported on stderr and ignored).
// SetKernels(path) changes it later (tests, benchmarks); Kernels() reports it.
//
// Kernels with a zero dimension, or with both TransA and TransB (no layer
// produces that form), get no assembly: their dispatcher calls Generic.
// Float64 kernels use the same emitters at half the lanes.
//
// # How the kernels work
//
// A cycle model (plan.go) picks register tiles from the shape. NN and TN
// products use the broadcast form (bcast.go): an mr×w tile of vector
// accumulators along a row of C, A(i,k) broadcast, B's row k loaded. NT
// products (A·Bᵀ, both K-contiguous) use the dot form (dot.go): one vector
// accumulator per (i, j) along K, reduced horizontally at the end
// (reduce.go); a matrix-vector NT product streamed from L2 runs 1×1 tiles
// down the matrix's rows with split accumulators (planRows). Partial
// vectors are masked (tail.go): K1 on AVX-512, VMASKMOVPS with a static
// mask table on AVX2.
//
// A product's function is a driver with its shape in immediates: it sets
// stride and count registers, walks C's column panels and CALLs static
// micro-kernels (micro.go), one per tile shape and variant, emitted once per
// file and shared by every product that uses that tile; each runs a panel's
// tiles with a rolled k loop, strides in registers (walk.go). A reviewer
// reads a changed layer width as changed immediates in a few drivers.
//
// The Go stubs are printed from avo's own ir.Function signatures and docs
// (gofile.go) rather than by avo's stub printer, so that one file can also
// hold detection and dispatch; signatures still cannot drift from the .s.
//
// internal/kerneltest is a package generated exactly as gen would (rewrite it
// with go test ./asm -run UpToDate -update): its tests check every path
// against Generic, its benchmarks report GFLOP/s and % of FMA peak.
package asm
