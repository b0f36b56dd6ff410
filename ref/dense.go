package ref

import "github.com/nngen/nngen/spec"

// Every sum in this package runs in one fixed order in plain Go, and every
// product that is added to something is rounded first by an explicit
// float64 conversion, which the Go spec says prevents fusing it into an FMA
// (arm64, ppc64, s390x, riscv64 and amd64 with GOAMD64=v3 fuse otherwise).
// Elementary functions come from pmath, not math (assembly on amd64 and
// s390x). So Net computes the same bits on every GOOS/GOARCH and build tag,
// which the test vectors nngen writes into generated tests need: they are
// compared byte for byte with the checked-in files (.ci/run regenerates them
// with nngen built for other architectures). gonum's floats and blas are not
// used for the same reason: they run assembly with its own summation order
// on amd64 and pure Go elsewhere or with -tags noasm. The accuracy is that of
// any float64 loop; the values are not rounded further, as rounding cannot
// make results that straddle a rounding boundary agree.

// denseForward is MM_{W,b}(z) = Wz + b (7.35), W [N][in] row-major.
func denseForward(l *spec.Layer, p [][]float64, z []float64) []float64 {
	W, in := p[0], len(z)
	h := make([]float64, l.Units)
	for i := range h {
		h[i] = dot(W[i*in:(i+1)*in], z)
		if l.Bias {
			h[i] += p[1][i]
		}
	}
	return h
}

// denseBackward: B[MM, z](v) = Wᵀv (7.63), B[MM, W](v) = v zᵀ (7.65),
// B[MM, b](v) = v (7.66).
func denseBackward(l *spec.Layer, p [][]float64, z, v []float64, g [][]float64) []float64 {
	W, dW, in := p[0], g[0], len(z)
	for i, vi := range v {
		for j, zj := range z {
			dW[i*in+j] += float64(vi * zj)
		}
	}
	if l.Bias {
		for i, vi := range v {
			g[1][i] += vi
		}
	}
	dz := make([]float64, in)
	for i, vi := range v { // dz = Σ_i v_i·W[i], rows in order
		for j := range dz {
			dz[j] += float64(W[i*in+j] * vi)
		}
	}
	return dz
}

// dot is Σ a_i·b_i, left to right.
func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += float64(a[i] * b[i])
	}
	return s
}

// sum is Σ a_i, left to right.
func sum(a []float64) float64 {
	s := 0.0
	for _, x := range a {
		s += x
	}
	return s
}
