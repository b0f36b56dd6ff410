package ir

import (
	"fmt"

	"github.com/nngen/nngen/spec"
)

// Matmul is the boundary between the network code and the hot kernels: every
// matrix product of forward and backward is one Matmul with its shape
// compiled in. The generic Go body and the assembly variants (package asm)
// both implement exactly
//
//	for i := 0; i < M; i++ {
//		for j := 0; j < N; j++ {
//			s := 0 (or C[i][j] when Accumulate)
//			for k := 0; k < K; k++ { s += A(i,k) * B(k,j) }
//			C[i][j] = s
//		}
//	}
//
// with C row-major M×N, A(i,k) = A[i][k] (A is M×K) or A[k][i] when TransA
// (A is K×M), and B(k,j) = B[k][j] (B is K×N) or B[j][k] when TransB (B is N×K).
//
// A windowed product (Window.Taps > 0, a direct convolution) reads B as
// the im2col matrix of a padded example without building it: B holds
// Channels() channels of LdB elements and
// B(k,j) = B[(k/Taps)·LdB + Offset(k%Taps) + j] (NN), or
// B(j,k) = B[(j/Taps)·LdB + Offset(j%Taps) + k] (NT, the weight gradient).
//
// The three products of a dense layer over a batch of B examples (row-major,
// §7.5) are: forward Z = A·Wᵀ (M=B, N=out, K=in, TransB); backward to the
// input ∂A = V·W (M=B, N=in, K=out, 7.63); weight gradient ∂W = Vᵀ·A
// (M=out, N=in, K=B, TransA, 7.65).
//
// Batched marks those three products (batch > 1): the batch is M, or K
// with TransA, and the kernel takes a row range [lo, hi) of it, so that
// several goroutines can share a batch (SetThreads). It computes rows
// lo..hi−1 of C (M) or sums k over lo..hi−1 only into the whole of C (K);
// the loop above is the range [0, Rows()).
//
// Examples > 0 sums a windowed weight gradient over that many examples in
// one call, A and B holding one example after another (ALen and BLen
// elements between them): C += Σ_e A_e·B_eᵀ. The tiles of C then stay in
// registers across the batch instead of being reduced and stored once per
// example. Batched, the range is of examples.
type Matmul struct {
	DType          spec.DType
	M, N, K        int
	TransA, TransB bool
	Accumulate     bool // C += A·B instead of C = A·B
	Batched        bool // M (or K with TransA) is the batch: the kernel takes a row range
	Window              // B read through a convolution's window; zero for a plain B
	Examples       int  // a windowed weight gradient summed over the batch in one call; 0 for one example
	// Label is the Go name SelectKernels gives the kernel (labels.go): the
	// function that first runs it and its form, "dense1ForwardNT", so that
	// a change of width renames nothing; empty, Name is Key.
	Label string
}

// Window is how a direct convolution's product reads the padded example
// (ir.Conv.Direct, OpPad): tap t of a channel, t = kh·KW + kw, reads it
// from element Offset(t) on. 1-D: the channel padded on both sides, tap t
// at t (KW = Taps, Row = Shift = 0). 2-D (a K×K kernel with pad=same):
// the channel, LdB elements, as KW copies of Shift elements (both rounded
// up to start the taps on cache lines: Conv.shift), copy kw with the image's
// columns that tap column kw must not reach across a row edge zeroed, so
// that the taps are shifts by kw·(Shift+1) + kh·Row of one flat run.
type Window struct {
	Taps  int // taps per channel: K (1-D) or K·K (2-D); 0 for a plain B
	KW    int // taps per kernel row
	Row   int // 2-D: elements from one kernel row to the next (the width W)
	Shift int // 2-D: elements between the copies of a channel
	LdB   int // elements per channel
	// Flip: A is the convolution's weight [channels][M][Taps] read for its
	// transposed convolution (the gradient to the input, each tap mirrored):
	// A(i,k) = a[(k/Taps)·M·Taps + i·Taps + Taps−1−k%Taps].
	Flip bool
}

// AIndex is A(i,k)'s index in Go for an M-row product, for the reference
// loops' comments.
func (w Window) AIndex(i, k string, m, kk int) string {
	if !w.Flip {
		return fmt.Sprintf("%s*%d+%s", i, kk, k)
	}
	return fmt.Sprintf("%s/%d*%d+%s*%d+%d-%s%%%d", k, w.Taps, m*w.Taps, i, w.Taps, w.Taps-1, k, w.Taps)
}

// Offset is tap t's first element in its channel.
func (w Window) Offset(t int) int { return t%w.KW*(w.Shift+1) + t/w.KW*w.Row }

// Index is B(k,j)'s index in Go, for the reference loops' comments.
func (w Window) Index(k, j string) string {
	if w.Row == 0 {
		return fmt.Sprintf("%s/%d*%d+%s%%%d+%s", k, w.Taps, w.LdB, k, w.Taps, j)
	}
	return fmt.Sprintf("%s/%d*%d+%s%%%d*%d+%s%%%d/%d*%d+%s", k, w.Taps, w.LdB, k, w.KW, w.Shift+1, k, w.Taps, w.KW, w.Row, j)
}

// Windowed reports whether B is a padded example read through its window.
func (m Matmul) Windowed() bool { return m.Taps > 0 }

// BLen is the number of elements of B: K·N, or the padded channels of a
// windowed product; for each of its Examples.
func (m Matmul) BLen() int { return m.examples() * m.BExample() }

// BExample is the number of elements of B for one example.
func (m Matmul) BExample() int {
	if m.Windowed() {
		return m.Channels() * m.LdB
	}
	return m.K * m.N
}

// ALen is the number of elements of A: M·K, for each of its Examples.
func (m Matmul) ALen() int { return m.examples() * m.M * m.K }

// examples is Examples, or 1 for a product of one example.
func (m Matmul) examples() int { return max(m.Examples, 1) }

// Channels is the number of channels of a windowed B: K/Taps, or N/Taps
// with TransB.
func (m Matmul) Channels() int {
	if m.TransB {
		return m.N / m.Taps
	}
	return m.K / m.Taps
}

// Rows is the extent of the batch dimension of a Batched product:
// Examples, K with TransA, else M.
func (m Matmul) Rows() int {
	if m.Examples > 0 {
		return m.Examples
	}
	if m.TransA {
		return m.K
	}
	return m.M
}

// Name is the kernel's Go name: its Label, or else its Key.
func (m Matmul) Name() string {
	if m.Label != "" {
		return m.Label
	}
	return m.Key()
}

// Key is the kernel's identity, unique per shape and kind, and a Go
// identifier: "matmulNT32x128x784f32", "matmulTNacc128x784x32f64"; a
// windowed product adds its window: "matmulNN32x128x160w5r132f32" (1-D:
// taps, padded channel), "matmulNN16x64x72w3x3r246s8x82f32" (2-D: kernel,
// channel, row and shift).
func (m Matmul) Key() string {
	suffix := "f32"
	if m.DType == spec.Float64 {
		suffix = "f64"
	}
	switch {
	case m.Windowed() && m.Row == 0:
		suffix = fmt.Sprintf("w%dr%d%s", m.Taps, m.LdB, suffix)
	case m.Windowed():
		suffix = fmt.Sprintf("w%dx%dr%ds%dx%d%s", m.Taps/m.KW, m.KW, m.LdB, m.Row, m.Shift, suffix)
	}
	if m.Flip {
		suffix = "flip" + suffix
	}
	if m.Examples > 0 {
		suffix = fmt.Sprintf("e%d%s", m.Examples, suffix)
	}
	return fmt.Sprintf("matmul%s%dx%dx%d%s", m.Form(), m.M, m.N, m.K, suffix)
}

// Form is the product's transposes and accumulation: "NT", "TNacc".
func (m Matmul) Form() string {
	s := transposed(m.TransA) + transposed(m.TransB)
	if m.Accumulate {
		s += "acc"
	}
	return s
}

func transposed(t bool) string {
	if t {
		return "T"
	}
	return "N"
}

// Flops is 2·M·N·K (for each of its Examples), the multiply-adds counted
// as two operations.
func (m Matmul) Flops() int64 { return 2 * int64(m.examples()) * int64(m.M) * int64(m.N) * int64(m.K) }

// ReferenceLoop is the product as Go, tab-indented lines over the
// constants M, N and K of Consts (a Generic body declares them; a doc
// comment states them): the computation every path of the kernel performs,
// the same text for every shape of a form.
func (m Matmul) ReferenceLoop() []string {
	aik, bkj := "a[i*K+k]", "b[k*N+j]"
	if m.TransA {
		aik = "a[k*M+i]"
	}
	switch {
	case m.Windowed() && m.TransB: // direct convolution: Window
		bkj = "b[" + m.Window.Index("j", "k") + "]"
	case m.Windowed():
		bkj = "b[" + m.Window.Index("k", "j") + "]"
		aik = "a[" + m.Window.AIndex("i", "k", m.M, m.K) + "]"
	case m.TransB:
		bkj = "b[j*K+k]"
	}
	init := "var s " + m.DType.String()
	if m.Accumulate {
		init = "s := c[i*N+j]"
	}
	iLo, iHi, kLo, kHi := "0", "M", "0", "K"
	switch { // a Batched product's row range
	case m.Examples > 0: // of examples, below
	case m.Batched && m.TransA:
		kLo, kHi = "lo", "hi"
	case m.Batched:
		iLo, iHi = "lo", "hi"
	}
	loop := []string{
		fmt.Sprintf("\tfor i := %s; i < %s; i++ {", iLo, iHi),
		"\t\tfor j := 0; j < N; j++ {",
		"\t\t\t" + init,
		fmt.Sprintf("\t\t\tfor k := %s; k < %s; k++ {", kLo, kHi),
		fmt.Sprintf("\t\t\t\ts += %s * %s", aik, bkj),
		"\t\t\t}",
		"\t\t\tc[i*N+j] = s",
		"\t\t}",
		"\t}",
	}
	if m.Examples == 0 {
		return loop
	}
	eLo, eHi := "0", fmt.Sprint(m.Examples)
	if m.Batched {
		eLo, eHi = "lo", "hi"
	}
	out := []string{
		fmt.Sprintf("\tfor e := %s; e < %s; e++ { // C += the product of example e", eLo, eHi),
		fmt.Sprintf("\t\ta, b := a[e*M*K:], b[e*%d:]", m.BExample()),
	}
	for _, l := range loop {
		out = append(out, "\t"+l)
	}
	return append(out, "\t}")
}

// Consts declares ReferenceLoop's M, N and K.
func (m Matmul) Consts() string { return fmt.Sprintf("const M, N, K = %d, %d, %d", m.M, m.N, m.K) }
