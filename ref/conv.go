package ref

import "github.com/nngen/nngen/spec"

// A convolution (cross-correlation, as PyTorch computes it) is a sum of
// products: out[n][i] = b[n] + Σ_c Σ_k W[n][c][k] · z_pad[c][i·stride + k]
// ((7.48)–(7.50); (7.51) in 2-D with k a pair). Each term is one tap
// (o, w, j): out[o] += W[w]·z[j], flat indices, with taps that land in the
// zero padding left out (they add nothing and have no input to flow back
// to). The backward functions follow term by term from (7.58):
//
//	∂J/∂W[w] = Σ_taps v[o]·z[j],  ∂J/∂z[j] = Σ_taps v[o]·W[w],  ∂J/∂b[n] = Σ_i v[n][i].
type tapFunc func(l *spec.Layer, tap func(o, w, j int))

// conv builds a convolution's forward function from its taps.
func conv(taps tapFunc) func(*spec.Layer, [][]float64, []float64) []float64 {
	return func(l *spec.Layer, p [][]float64, z []float64) []float64 {
		out := make([]float64, l.Out.Size())
		taps(l, func(o, w, j int) { out[o] += float64(p[0][w] * z[j]) })
		if l.Bias {
			perChannel(l, func(n, o int) { out[o] += p[1][n] })
		}
		return out
	}
}

// convBackward builds a convolution's backward function from its taps.
func convBackward(taps tapFunc) func(*spec.Layer, [][]float64, []float64, []float64, [][]float64) []float64 {
	return func(l *spec.Layer, p [][]float64, z, v []float64, g [][]float64) []float64 {
		dz := make([]float64, len(z))
		taps(l, func(o, w, j int) {
			g[0][w] += float64(v[o] * z[j])
			dz[j] += float64(v[o] * p[0][w])
		})
		if l.Bias {
			perChannel(l, func(n, o int) { g[1][n] += v[o] })
		}
		return dz
	}
}

// perChannel calls fn for every output element o with its channel n.
func perChannel(l *spec.Layer, fn func(n, o int)) {
	per := l.Out[1:].Size()
	for o := 0; o < l.Out.Size(); o++ {
		fn(o/per, o)
	}
}

// taps1D enumerates the taps of Conv1D: z [C][L], W [N][C][K], out [N][Lo].
func taps1D(l *spec.Layer, tap func(o, w, j int)) {
	C, L, N, Lo := l.In[0], l.In[1], l.Out[0], l.Out[1]
	K, pad := l.Kernel, l.PadAmount()
	for n := 0; n < N; n++ {
		for i := 0; i < Lo; i++ {
			for c := 0; c < C; c++ {
				for k := 0; k < K; k++ {
					if x := i*l.Stride + k - pad; 0 <= x && x < L {
						tap(n*Lo+i, (n*C+c)*K+k, c*L+x)
					}
				}
			}
		}
	}
}

// taps2D enumerates the taps of Conv2D: z [C][H][W], W [N][C][K][K],
// out [N][Ho][Wo].
func taps2D(l *spec.Layer, tap func(o, w, j int)) {
	C, H, Wd, N, Ho, Wo := l.In[0], l.In[1], l.In[2], l.Out[0], l.Out[1], l.Out[2]
	K, pad := l.Kernel, l.PadAmount()
	for n := 0; n < N; n++ {
		for i := 0; i < Ho*Wo; i++ {
			r, s := i/Wo, i%Wo
			for c := 0; c < C; c++ {
				for k := 0; k < K*K; k++ {
					y, x := r*l.Stride+k/K-pad, s*l.Stride+k%K-pad
					if 0 <= y && y < H && 0 <= x && x < Wd {
						tap(n*Ho*Wo+i, (n*C+c)*K*K+k, (c*H+y)*Wd+x)
					}
				}
			}
		}
	}
}
