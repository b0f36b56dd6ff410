package gen

import (
	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
)

// im2col copies one example into the columns of its convolution,
// cols[(c·K + kh)·K + kw][oh·Wout + ow] = x[c][oh·s + kh − p][ow·s + kw − p],
// so that the layer is one matrix product (7.50), (7.51); col2im is its
// adjoint, scattering ∂cols back into ∂x (zeroed first). The padding
// entries of cols are never written, so they stay at their zero value.
//
// Kernel offsets are unrolled at generation time, where the range of
// output positions that read inside the input is known.
func (e *emitter) im2col(op *ir.Op) []jen.Code {
	cols, x := op.Writes[0], op.Reads[0]
	var out []jen.Code
	if op.Kind == ir.OpCol2im {
		cols, x = op.Reads[0], op.Writes[0]
		out = append(out, e.zero(x))
	}
	g := newConvGeom(op.Conv)
	per := product(g.kdims()) * g.lout
	if g.c == 1 || !e.looping && g.c*per <= e.opts.UnrollMax {
		for c := 0; c < g.c; c++ {
			out = append(out, e.im2colChannel(op, g, lit(c), cols, x)...)
		}
		return out
	}
	return append(out, forLoop("c", 0, g.c, 1, e.inLoop(func() []jen.Code { return e.im2colChannel(op, g, vr("c"), cols, x) })))
}

// convGeom is a convolution's geometry; 1-D convolutions have one spatial
// dimension, 2-D two.
type convGeom struct {
	c, k, s, p int
	in, out    []int // spatial sizes
	lout       int   // Π out
}

func newConvGeom(c *ir.Conv) convGeom {
	return convGeom{c: c.C, k: c.K, s: c.Stride, p: c.Pad, in: c.In, out: c.Out, lout: c.Cols()}
}

// kdims are the kernel offsets' ranges: [K] or [K, K].
func (g convGeom) kdims() []int {
	d := make([]int, len(g.in))
	for i := range d {
		d[i] = g.k
	}
	return d
}

// valid is the range of output positions o with 0 ≤ o·s + k − p < n.
func (g convGeom) valid(k, n, nout int) (lo, hi int) {
	for o := 0; o < nout; o++ {
		if i := o*g.s + k - g.p; i >= 0 && i < n {
			if hi == 0 {
				lo = o
			}
			hi = o + 1
		}
	}
	return lo, hi
}

func (e *emitter) im2colChannel(op *ir.Op, g convGeom, c ix, cols, x ir.View) []jen.Code {
	var out []jen.Code
	kd := g.kdims()
	for kk := 0; kk < product(kd); kk++ {
		ks := []int{kk}
		if len(kd) == 2 {
			ks = []int{kk / g.k, kk % g.k}
		}
		out = append(out, e.im2colOffset(op, g, c, ks, cols, x)...)
	}
	return out
}

// im2colOffset moves the row of kernel offset ks of channel c.
func (e *emitter) im2colOffset(op *ir.Op, g convGeom, c ix, ks []int, cols, x ir.View) []jen.Code {
	row := c.times(product(g.kdims()))
	los, dims := make([]int, len(ks)), make([]int, len(ks))
	for d, k := range ks {
		row = row.plus(k * pow(g.k, len(ks)-1-d))
		lo, hi := g.valid(k, g.in[d], g.out[d])
		los[d], dims[d] = lo, hi-lo
		if hi <= lo {
			return nil
		}
	}
	// col and xi index cols and x at output position lo + o.
	col := func(o []ix) ix {
		i := row.times(g.lout)
		for d := range ks {
			i = i.add(o[d].plus(los[d]).times(product(g.out[d+1:])))
		}
		return i
	}
	xi := func(o []ix) ix {
		i := c.times(product(g.in))
		for d := range ks {
			i = i.add(o[d].plus(los[d]).times(g.s).plus(ks[d] - g.p).times(product(g.in[d+1:])))
		}
		return i
	}
	if g.s == 1 {
		return e.im2colRows(op, g, dims, col, xi, cols, x)
	}
	vars := []string{"o", "q"}[:len(ks)]
	return e.nest(vars, dims, func(o []ix) []jen.Code { return []jen.Code{e.moveCol(op, cols, col(o), x, xi(o), 0)} })
}

// im2colRows moves, with stride 1, whole runs of the last dimension:
// constant-length row moves instead of element-by-element indexing. A 2-D
// kernel offset whose runs span full rows of both cols and x is one run.
func (e *emitter) im2colRows(op *ir.Op, g convGeom, dims []int, col, xi func([]ix) ix, cols, x ir.View) []jen.Code {
	last := len(dims) - 1
	n := dims[last]
	if last == 1 && n == g.out[1] && n == g.in[1] {
		n, dims = n*dims[0], []int{1, 1}
	}
	return e.rowNest([]string{"o"}, dims[:last], func(o []ix) jen.Code {
		o = append(o, lit(0))
		return e.moveCol(op, cols, col(o), x, xi(o), n)
	})
}

// moveCol is cols[col] = x[xi] (im2col) or x[xi] += cols[col] (col2im);
// with n > 0, for the n elements from there.
func (e *emitter) moveCol(op *ir.Op, cols ir.View, col ix, x ir.View, xi ix, n int) jen.Code {
	if n == 0 {
		if op.Kind == ir.OpCol2im {
			return e.at(x, xi).Op("+=").Add(e.at(cols, col))
		}
		return e.at(cols, col).Op("=").Add(e.at(x, xi))
	}
	if op.Kind == ir.OpCol2im {
		return e.addRowCall(x, xi, cols, col, n)
	}
	return jen.Op("*").Add(e.rowPtr(cols, col, n)).Op("=").Op("*").Add(e.rowPtr(x, xi, n))
}

func pow(b, n int) int {
	r := 1
	for ; n > 0; n-- {
		r *= b
	}
	return r
}
