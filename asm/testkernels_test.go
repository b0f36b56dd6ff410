package asm

import (
	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

// The kernels of internal/kerneltest: the reference networks' products and a
// sweep of awkward shapes, in every form, float32 and float64.

// dense returns the three products of a dense layer in→out at batch bs:
// forward NT, input gradient NN, weight gradient TN (ir.Matmul's doc).
func dense(in, out, bs int, d spec.DType) []ir.Matmul {
	return []ir.Matmul{
		{DType: d, M: bs, N: out, K: in, TransB: true, Batched: bs > 1},
		{DType: d, M: bs, N: in, K: out, Batched: bs > 1},
		{DType: d, M: out, N: in, K: bs, TransA: true, Batched: bs > 1},
	}
}

// sweepSizes are tails and block edges for both vector widths.
var sweepSizes = []int{1, 3, 7, 15, 16, 17, 31, 33, 127, 129}

func sweep(d spec.DType, sizes []int, acc bool) []ir.Matmul {
	forms := [][2]bool{{false, false}, {false, true}, {true, false}}
	var ks []ir.Matmul
	for i, s := range sizes {
		for f, tr := range forms {
			// s takes each dimension in turn; the others have tails at 8 and 16 lanes.
			mnk := []int{17, 33, 13}
			mnk[(i+f)%3] = s
			ks = append(ks, ir.Matmul{DType: d, M: mnk[0], N: mnk[1], K: mnk[2],
				TransA: tr[0], TransB: tr[1], Accumulate: acc})
		}
	}
	return ks
}

// packed are products whose B panels are packed (pack.go): B's row stride
// a multiple of 2 KiB, at least minPackRows rows.
func packed() []ir.Matmul {
	return []ir.Matmul{
		{DType: spec.Float32, M: 32, N: 1024, K: 10},
		{DType: spec.Float32, M: 33, N: 512, K: 7, TransA: true, Accumulate: true},
		{DType: spec.Float64, M: 24, N: 256, K: 9},
		{DType: spec.Float64, M: 29, N: 512, K: 3, TransA: true},
	}
}

// transposed are NT products that run the broadcast form on transposed
// panels of B (tpack.go): whole tiles, rows left over, accumulation, a row
// range, a last panel stepped back (TestTransposedForm checks that one is).
func transposed() []ir.Matmul {
	return []ir.Matmul{
		{DType: spec.Float32, M: 32, N: 64, K: 64, TransB: true, Batched: true},
		{DType: spec.Float32, M: 20, N: 48, K: 24, TransB: true},
		{DType: spec.Float32, M: 19, N: 80, K: 16, TransB: true, Accumulate: true},
		{DType: spec.Float32, M: 33, N: 96, K: 40, TransB: true, Batched: true},
		{DType: spec.Float32, M: 8, N: 64, K: 16, TransB: true},                  // AVX2: the last panel steps back
		{DType: spec.Float32, M: 32, N: 208, K: 24, TransB: true, Batched: true}, // AVX2: the last panel steps back
	}
}

// rowKernels are matrix-vector products: NT ones run one matrix row at a
// time (planRows) — a single dot, B as the matrix (M = 1, swapped), A as
// the matrix over a row range — and TN ones with M = 1, whose A column is
// read as an NN row, k unrolled; k and column tails, accumulation, float64,
// short K.
func rowKernels() []ir.Matmul {
	return []ir.Matmul{
		{DType: spec.Float32, M: 1, N: 100, K: 37, TransA: true, Batched: true},
		{DType: spec.Float64, M: 1, N: 33, K: 9, TransA: true, Accumulate: true},
		{DType: spec.Float32, M: 1, N: 1, K: 37, TransB: true},
		{DType: spec.Float32, M: 1, N: 1, K: 3, TransB: true, Accumulate: true},
		{DType: spec.Float64, M: 1, N: 1, K: 100, TransB: true},
		{DType: spec.Float32, M: 33, N: 1, K: 517, TransB: true, Batched: true},
		{DType: spec.Float64, M: 1, N: 70, K: 129, TransB: true, Accumulate: true},
	}
}

// windowed are direct convolutions (ir.Window): R5's and R4's layers, a
// tail at 8 and 16 lanes with one tap, five channels of three taps,
// a 5×7 image of two channels, float64, and the same read for the
// gradient to the input (Window.Flip).
func windowed() []ir.Matmul {
	w1 := func(taps, ldb int) ir.Window { return ir.Window{Taps: taps, KW: taps, LdB: ldb} }
	w2 := func(k, p, h, w int) ir.Window {
		s := (h+2*p)*w + 2*p
		return ir.Window{Taps: k * k, KW: k, Row: w, Shift: s, LdB: k * s}
	}
	flip := func(w ir.Window) ir.Window { w.Flip = true; return w }
	return []ir.Matmul{
		{DType: spec.Float32, M: 32, N: 128, K: 80, Window: w1(5, 132)},
		{DType: spec.Float32, M: 32, N: 128, K: 160, Window: w1(5, 132)},
		{DType: spec.Float32, M: 8, N: 64, K: 9, Window: w2(3, 1, 8, 8)},
		{DType: spec.Float32, M: 16, N: 64, K: 72, Window: w2(3, 1, 8, 8)},
		{DType: spec.Float32, M: 9, N: 35, K: 18, Window: w2(3, 1, 5, 7)},
		{DType: spec.Float32, M: 9, N: 33, K: 5, Window: w1(1, 35)},
		{DType: spec.Float32, M: 17, N: 21, K: 15, Window: w1(3, 23)},
		{DType: spec.Float64, M: 17, N: 21, K: 15, Window: w1(3, 25)},
		{DType: spec.Float64, M: 9, N: 35, K: 18, Window: w2(3, 1, 5, 7)},
		{DType: spec.Float32, M: 32, N: 128, K: 160, Window: flip(w1(5, 132))},
		{DType: spec.Float32, M: 8, N: 64, K: 144, Window: flip(w2(3, 1, 8, 8))},
		{DType: spec.Float32, M: 9, N: 35, K: 18, Window: flip(w2(3, 1, 5, 7))},
		{DType: spec.Float64, M: 17, N: 21, K: 15, Window: flip(w1(3, 25))},
		{DType: spec.Float32, M: 32, N: 160, K: 128, TransB: true, Accumulate: true, Window: w1(5, 132)},
		{DType: spec.Float32, M: 16, N: 72, K: 64, TransB: true, Accumulate: true, Window: w2(3, 1, 8, 8)},
		{DType: spec.Float32, M: 9, N: 18, K: 35, TransB: true, Window: w2(3, 1, 5, 7)},
		{DType: spec.Float32, M: 7, N: 15, K: 21, TransB: true, Accumulate: true, Window: w1(3, 23)},
		{DType: spec.Float64, M: 9, N: 18, K: 35, TransB: true, Accumulate: true, Window: w2(3, 1, 5, 7)},
		// AVX2's tail mask is the last register: tiles that would fill all 16 leave it
		{DType: spec.Float32, M: 12, N: 16, K: 63, TransB: true, Accumulate: true, Window: w1(4, 66)},
		{DType: spec.Float64, M: 11, N: 12, K: 9, TransB: true, Accumulate: true, Window: w1(4, 12)},
		{DType: spec.Float32, M: 12, N: 16, K: 63, TransB: true, Accumulate: true, Window: w1(4, 66), Examples: 3, Batched: true},
		// weight gradients summed over examples (ir.Matmul.Examples): R5's and R4's, a k tail, float64,
		// k shorter than a vector (a valid convolution's single output)
		{DType: spec.Float32, M: 2, N: 30, K: 1, TransB: true, Accumulate: true, Window: w1(6, 6), Examples: 2, Batched: true},
		{DType: spec.Float64, M: 2, N: 30, K: 1, TransB: true, Accumulate: true, Window: w1(6, 6), Examples: 3, Batched: true},
		{DType: spec.Float32, M: 32, N: 160, K: 128, TransB: true, Accumulate: true, Window: w1(5, 132), Examples: 4, Batched: true},
		// more examples than exampleChunkBytes of A hold: run a chunk at a time, the last one short
		// (sums of at most 640 products in float32, which the tolerance allows)
		{DType: spec.Float32, M: 64, N: 30, K: 32, TransB: true, Accumulate: true, Window: w1(6, 37), Examples: 20, Batched: true},
		{DType: spec.Float64, M: 16, N: 30, K: 130, TransB: true, Accumulate: true, Window: w1(6, 135), Examples: 9, Batched: true},
		{DType: spec.Float32, M: 16, N: 72, K: 64, TransB: true, Accumulate: true, Window: w2(3, 1, 8, 8), Examples: 3, Batched: true},
		{DType: spec.Float32, M: 7, N: 15, K: 21, TransB: true, Accumulate: true, Window: w1(3, 23), Examples: 3, Batched: true},
		{DType: spec.Float64, M: 9, N: 18, K: 35, TransB: true, Accumulate: true, Window: w2(3, 1, 5, 7), Examples: 2, Batched: true},
	}
}

func testKernels() []ir.Matmul {
	var ks []ir.Matmul
	ks = append(ks, rowKernels()...)
	for _, bs := range []int{32, 1} {
		ks = append(ks, dense(784, 128, bs, spec.Float32)...) // R2
		ks = append(ks, dense(128, 10, bs, spec.Float32)...)
	}
	ks = append(ks, dense(64, 64, 32, spec.Float32)...) // R3
	ks = append(ks, dense(64, 64, 32, spec.Float64)...)
	ks = append(ks, packed()...)
	ks = append(ks, transposed()...)
	ks = append(ks, windowed()...)
	ks = append(ks, sweep(spec.Float32, sweepSizes, false)...)
	ks = append(ks, sweep(spec.Float32, []int{1, 16, 17, 33}, true)...)
	ks = append(ks, sweep(spec.Float64, []int{1, 3, 7, 8, 9, 17}, false)...)
	ks = append(ks,
		ir.Matmul{DType: spec.Float32, M: 5, N: 6, K: 7, TransA: true, TransB: true}, // generic only
		ir.Matmul{DType: spec.Float32, M: 128, N: 784, K: 32, TransA: true, Accumulate: true},
		ir.Matmul{DType: spec.Float64, M: 17, N: 9, K: 33, TransB: true, Accumulate: true},
	)
	return uniqueSorted(ks)
}

// updateSizes are tails and loop edges of the update kernels (4 vectors of
// 8 or 16 lanes per iteration, fewer for float64), and R2's parameters.
var updateSizes = []int{1, 3, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 1280, 100352}

func testUpdates() []ir.Update {
	var us []ir.Update
	for _, mom := range []bool{false, true} {
		for _, n := range updateSizes {
			us = append(us, ir.Update{DType: spec.Float32, N: n, Momentum: mom})
		}
		for _, n := range []int{1, 3, 4, 5, 9, 17, 33, 65} {
			us = append(us, ir.Update{DType: spec.Float64, N: n, Momentum: mom})
		}
	}
	return uniqueUpdates(us)
}

func testElems() []ir.Elementwise {
	var es []ir.Elementwise
	for _, op := range []ir.ElemOp{ir.AddRow, ir.AddConst, ir.Relu, ir.ReluGrad, ir.AddRowRelu, ir.AddConstRelu} {
		for _, n := range updateSizes {
			es = append(es, ir.Elementwise{Op: op, DType: spec.Float32, N: n})
		}
		for _, n := range []int{1, 3, 4, 5, 9, 17, 33, 65} {
			es = append(es, ir.Elementwise{Op: op, DType: spec.Float64, N: n})
		}
	}
	for _, op := range []ir.ElemOp{ir.Add, ir.Sigmoid, ir.Tanh, ir.SigmoidGrad, ir.TanhGrad, ir.LeakyRelu, ir.LeakyReluGrad, ir.AddRows} {
		for _, n := range []int{1, 7, 16, 17, 33, 129} {
			es = append(es, ir.Elementwise{Op: op, DType: spec.Float32, N: n}, ir.Elementwise{Op: op, DType: spec.Float64, N: n})
		}
	}
	for _, op := range []ir.ElemOp{ir.AddRow, ir.Relu, ir.ReluGrad, ir.AddRowRelu, ir.Add, ir.SigmoidGrad, ir.TanhGrad, ir.LeakyRelu, ir.LeakyReluGrad} {
		for _, n := range []int{1, 7, 16, 17, 64, 129} { // range kernels: a row of a vector, of several and a tail
			es = append(es, ir.Elementwise{Op: op, DType: spec.Float32, N: n, Range: true}, ir.Elementwise{Op: op, DType: spec.Float64, N: n, Range: true})
		}
	}
	for _, c := range padConvs() {
		for _, dt := range []spec.DType{spec.Float32, spec.Float64} {
			es = append(es, ir.Elementwise{Op: ir.Pad, DType: dt, N: c.PadBlock(), Chans: c.C, Pad: c},
				ir.Elementwise{Op: ir.Pad, DType: dt, N: c.PadBlock(), Chans: c.C, Pad: c, Borders: true})
		}
	}
	for _, n := range []int{1, 2, 7, 10, 16, 17, 24, 33, 37, 100} { // the softmax's partial vector at every place in a chunk
		es = append(es, ir.Elementwise{Op: ir.Softmax, DType: spec.Float32, N: n}, ir.Elementwise{Op: ir.Softmax, DType: spec.Float64, N: n})
	}
	for _, op := range []ir.ElemOp{ir.LNForward, ir.LNBackward, ir.LNParamGrad} { // one chunk of 16 and a loop of them
		for _, n := range []int{16, 32, 80, 128} {
			es = append(es, ir.Elementwise{Op: op, DType: spec.Float32, N: n}, ir.Elementwise{Op: op, DType: spec.Float64, N: n})
		}
	}
	return uniqueElems(append(es, chanElems()...))
}

// chanElems are AddChanRelu kernels: one channel and several, whole
// vectors, tails and the unrolled loop, on both widths.
func chanElems() []ir.Elementwise {
	var es []ir.Elementwise
	for _, cn := range [][2]int{{1, 16}, {3, 7}, {2, 17}, {4, 33}, {5, 64}, {32, 128}} {
		es = append(es, ir.Elementwise{Op: ir.AddChanRelu, DType: spec.Float32, Chans: cn[0], N: cn[1]},
			ir.Elementwise{Op: ir.AddChanRelu, DType: spec.Float64, Chans: cn[0], N: cn[1]})
	}
	return es
}

// representativeKernels are the checked-in internal/kerneltest's products,
// for its benchmarks and a quick conformance check: R2's products at batch
// 32 and 1, a packed one, an accumulating one, tails on both widths, and
// float64. TestKernelSweep checks the full sweep.
func representativeKernels() []ir.Matmul {
	ks := dense(784, 128, 32, spec.Float32)
	ks = append(ks, dense(128, 10, 32, spec.Float32)...)
	ks = append(ks,
		ir.Matmul{DType: spec.Float32, M: 1, N: 128, K: 784, TransB: true},
		ir.Matmul{DType: spec.Float32, M: 32, N: 1024, K: 10},                                                              // packed
		ir.Matmul{DType: spec.Float32, M: 17, N: 21, K: 15, Window: ir.Window{Taps: 3, KW: 3, LdB: 23}},                    // windowed, tails
		ir.Matmul{DType: spec.Float32, M: 9, N: 35, K: 18, Window: ir.Window{Taps: 9, KW: 3, Row: 7, Shift: 51, LdB: 153}}, // 2-D windowed, tails
		ir.Matmul{DType: spec.Float32, M: 128, N: 784, K: 32, TransA: true, Accumulate: true},
		ir.Matmul{DType: spec.Float32, M: 17, N: 33, K: 13},               // tails
		ir.Matmul{DType: spec.Float32, M: 17, N: 33, K: 13, TransB: true}, // tails
		ir.Matmul{DType: spec.Float64, M: 32, N: 64, K: 64, TransB: true},
		ir.Matmul{DType: spec.Float64, M: 17, N: 9, K: 33, TransA: true},
		ir.Matmul{DType: spec.Float32, M: 19, N: 33, K: 13, Batched: true}, // row ranges, tails
		ir.Matmul{DType: spec.Float32, M: 7, N: 15, K: 21, TransB: true, Accumulate: true, // summed over examples, tails
			Window: ir.Window{Taps: 3, KW: 3, LdB: 23}, Examples: 5, Batched: true},
		ir.Matmul{DType: spec.Float32, M: 19, N: 33, K: 13, TransB: true, Batched: true}, // row ranges, tails
		ir.Matmul{DType: spec.Float64, M: 9, N: 17, K: 35, TransA: true, Batched: true},  // k ranges, tails
		ir.Matmul{DType: spec.Float32, M: 5, N: 6, K: 7, TransA: true, TransB: true},     // generic only
	)
	return uniqueSorted(ks)
}

func representativeUpdates() []ir.Update {
	var us []ir.Update
	for _, mom := range []bool{false, true} {
		us = append(us, ir.Update{DType: spec.Float32, N: 1280, Momentum: mom},
			ir.Update{DType: spec.Float32, N: 17, Momentum: mom},
			ir.Update{DType: spec.Float64, N: 9, Momentum: mom})
	}
	return uniqueUpdates(us)
}

func representativeElems() []ir.Elementwise {
	var es []ir.Elementwise
	for _, op := range []ir.ElemOp{ir.AddRow, ir.AddConst, ir.Relu, ir.ReluGrad, ir.AddRowRelu, ir.AddConstRelu, ir.Add, ir.Sigmoid, ir.Tanh, ir.SigmoidGrad, ir.TanhGrad, ir.LeakyRelu, ir.LeakyReluGrad, ir.AddRows} {
		es = append(es, ir.Elementwise{Op: op, DType: spec.Float32, N: 129},
			ir.Elementwise{Op: op, DType: spec.Float64, N: 9})
	}
	// Range kernels: whole vectors and a tail a row, the fixed row b; and
	// rows of whole loop iterations on both paths, one run of elements.
	for _, op := range []ir.ElemOp{ir.AddRow, ir.Relu, ir.ReluGrad, ir.AddRowRelu, ir.Add, ir.SigmoidGrad, ir.TanhGrad, ir.LeakyRelu, ir.LeakyReluGrad} {
		es = append(es, ir.Elementwise{Op: op, DType: spec.Float32, N: 129, Range: true},
			ir.Elementwise{Op: op, DType: spec.Float64, N: 9, Range: true})
	}
	es = append(es, ir.Elementwise{Op: ir.ReluGrad, DType: spec.Float32, N: 64, Range: true},
		ir.Elementwise{Op: ir.Add, DType: spec.Float64, N: 64, Range: true})
	// AddRows holds 12 vectors of dst at a time: 257 float32 and 100
	// float64 elements take two passes over the rows on either path.
	es = append(es, ir.Elementwise{Op: ir.AddRows, DType: spec.Float32, N: 257}, ir.Elementwise{Op: ir.AddRows, DType: spec.Float64, N: 100})
	// Softmax: R2's ten classes; 37 is two chunks of 16 and a partial
	// vector; float64's 10 and 21 end on a partial vector on both widths.
	es = append(es, ir.Elementwise{Op: ir.Softmax, DType: spec.Float32, N: 10}, ir.Elementwise{Op: ir.Softmax, DType: spec.Float32, N: 37},
		ir.Elementwise{Op: ir.Softmax, DType: spec.Float64, N: 10}, ir.Elementwise{Op: ir.Softmax, DType: spec.Float64, N: 21})
	for _, op := range []ir.ElemOp{ir.LNForward, ir.LNBackward, ir.LNParamGrad} {
		es = append(es, ir.Elementwise{Op: op, DType: spec.Float32, N: 64}, ir.Elementwise{Op: op, DType: spec.Float32, N: 48},
			ir.Elementwise{Op: op, DType: spec.Float64, N: 32})
	}
	return uniqueElems(es)
}
