package ir

import (
	"fmt"

	"github.com/nngen/nngen/spec"
)

// Pool is a pooling layer's geometry: Planes independent planes (every
// channel of every example: pooling never mixes them), each of spatial
// size In ([L] or [H, W]) cut into windows of K (K×K) elements, Stride
// apart, giving Out. Max pools by the maximum (ties: the first in
// row-major order of the window), else by the mean.
type Pool struct {
	Max               bool
	Planes, K, Stride int
	In, Out           []int
}

// Window is the number of elements of one window: K or K·K.
func (p *Pool) Window() int {
	w := 1
	for range p.In {
		w *= p.K
	}
	return w
}

// InSize and OutSize are the elements of all planes in and out.
func (p *Pool) InSize() int  { return p.Planes * product(p.In) }
func (p *Pool) OutSize() int { return p.Planes * product(p.Out) }

func (p *Pool) String() string {
	kind := "mean"
	if p.Max {
		kind = "max"
	}
	return fmt.Sprintf("%s planes=%d K=%d stride=%d in=%v out=%v", kind, p.Planes, p.K, p.Stride, p.In, p.Out)
}

func product(dims []int) int {
	n := 1
	for _, d := range dims {
		n *= d
	}
	return n
}

// poolOf is the geometry of pooling layer ly over nb examples.
func poolOf(ly *spec.Layer, nb int) *Pool {
	return &Pool{Max: ly.Kind.IsMaxPool(), Planes: nb * ly.In[0], K: ly.Kernel, Stride: ly.Stride,
		In: ly.In[1:], Out: ly.Out[1:]}
}

// poolDocs are the forward and backward doc comments of a pooling layer.
func poolDocs(ly *spec.Layer) [2]string {
	if ly.Kind.IsMaxPool() {
		return [2]string{"h = max of each window of z (the first maximum on ties, as PyTorch)",
			"∂J/∂z[j] = Σ ∂J/∂h over the windows whose first maximum is z[j], the maximum found again in z"}
	}
	return [2]string{"h = mean of each window of z", "∂J/∂z[j] = Σ ∂J/∂h / window over the windows holding z[j]"}
}

// poolForward pools every plane of the batch in one op: the layout
// [example][channel][…] is already planes one after the other.
func (l *lowerer) poolForward(ly *spec.Layer, in, out View, nb int) []Block {
	return []Block{{Ops: []*Op{{Kind: OpPool, Pool: poolOf(ly, nb), Layer: ly, Writes: []View{out}, Reads: []View{in}}}}}
}

// poolBackward reads the input z only for max pooling, to find the maxima
// again rather than keeping their indices.
func (l *lowerer) poolBackward(ly *spec.Layer, in, gout, gin *Buffer) []Block {
	p := poolOf(ly, l.m.Batch)
	op := &Op{Kind: OpPoolGrad, Pool: p, Layer: ly, Writes: []View{whole(gin)}, Reads: []View{whole(gout), {}}}
	if p.Max {
		op.Reads[1] = whole(in)
	}
	return []Block{{Ops: []*Op{op}}}
}

// pool checks a pooling op's operands against its geometry, and the
// geometry itself: windows that fit, and floor((n − K)/S) + 1 outputs.
func (v *verifier) pool(op *Op, eq func(string, int, int)) {
	p := op.Pool
	if p == nil || len(p.In) != len(p.Out) || len(p.In) < 1 || len(p.In) > 2 || p.K < 1 || p.Stride < 1 {
		v.errorf("%s: bad geometry %v", op.Kind, p)
		return
	}
	for d, n := range p.In {
		if p.K > n || p.Out[d] != (n-p.K)/p.Stride+1 {
			v.errorf("%s: %s: window does not give %d outputs from %d", op.Kind, p, p.Out[d], n)
		}
	}
	if op.Kind == OpPool {
		eq("input", op.Reads[0].Len, p.InSize())
		eq("output", op.Writes[0].Len, p.OutSize())
		return
	}
	eq("∂out", op.Reads[0].Len, p.OutSize())
	eq("∂z", op.Writes[0].Len, p.InSize())
	if z := op.Reads[1]; z.Buf != nil || p.Max {
		eq("z", z.Len, p.InSize())
	}
}
