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
type Matmul struct {
	DType          spec.DType
	M, N, K        int
	TransA, TransB bool
	Accumulate     bool // C += A·B instead of C = A·B
	Batched        bool // M (or K with TransA) is the batch: the kernel takes a row range
}

// Rows is the extent of the batch dimension of a Batched product: K with
// TransA, else M.
func (m Matmul) Rows() int {
	if m.TransA {
		return m.K
	}
	return m.M
}

// Name is a stable Go identifier for the kernel, unique per shape and kind:
// "matmulNT32x128x784f32", "matmulTNacc128x784x32f64".
func (m Matmul) Name() string {
	ta, tb, acc := "N", "N", ""
	if m.TransA {
		ta = "T"
	}
	if m.TransB {
		tb = "T"
	}
	if m.Accumulate {
		acc = "acc"
	}
	suffix := "f32"
	if m.DType == spec.Float64 {
		suffix = "f64"
	}
	return fmt.Sprintf("matmul%s%s%s%dx%dx%d%s", ta, tb, acc, m.M, m.N, m.K, suffix)
}

// Flops is 2·M·N·K, the multiply-adds counted as two operations.
func (m Matmul) Flops() int64 { return 2 * int64(m.M) * int64(m.N) * int64(m.K) }
