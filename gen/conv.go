package gen

import (
	"maps"

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
// output positions that read inside the input is known, unless that takes
// too many statements: then they are loops (im2colLoops).
func (e *emitter) im2col(op *ir.Op) []jen.Code {
	cols, x := op.Writes[0], op.Reads[0]
	var out []jen.Code
	if op.Kind == ir.OpCol2im {
		cols, x = op.Reads[0], op.Writes[0]
		out = append(out, e.zero(x))
	}
	g := newConvGeom(op.Conv)
	if code := e.im2colUnrolled(op, g, cols, x); code != nil {
		return append(out, code...)
	}
	return append(out, e.im2colLoops(op, g, cols, x))
}

// maxIm2colStmts bounds the statements of an unrolled im2col or col2im (one
// or more per kernel offset and channel), so that the code of a layer does
// not grow with its kernel: bigger ones loop over the kernel offsets.
const maxIm2colStmts = 64

// im2colUnrolled is the conversion with the kernel offsets unrolled, or nil
// when that would take more than maxIm2colStmts statements; the helpers
// that code would have called are then forgotten.
func (e *emitter) im2colUnrolled(op *ir.Op, g convGeom, cols, x ir.View) []jen.Code {
	if product(g.kdims()) > maxIm2colStmts {
		return nil
	}
	rowHelpers := maps.Clone(e.rowHelpers)
	var code []jen.Code
	n := 0
	if g.c == 1 || !e.looping && g.c*product(g.kdims())*g.lout <= e.opts.UnrollMax {
		for c := 0; c < g.c; c++ {
			code = append(code, e.im2colChannel(op, g, lit(c), cols, x)...)
		}
		n = len(code)
	} else {
		body := e.inLoop(func() []jen.Code { return e.im2colChannel(op, g, vr("c"), cols, x) })
		code, n = []jen.Code{forLoop("c", 0, g.c, 1, body)}, len(body)
	}
	if n > maxIm2colStmts {
		e.rowHelpers = rowHelpers
		return nil
	}
	return code
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
	if op.Kind == ir.OpCol2im { // in Go, as in im2colRow: no SIMD kernel (ir/rowkernels.go)
		return e.callRow("addRow", e.span(x, xi, n), e.from(cols, col))
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

// im2colLoops is the conversion as runtime loops over the channels, the
// kernel offsets and the output rows; for each offset, convSpan gives the
// output positions that read inside the input, as im2colOffset finds them
// at generation time:
//
//	for c, kh, kw: for oh in span(kh), ow in span(kw):
//		cols[(c·K + kh)·K + kw][oh·Wout + ow] = x[c][oh·s + kh − p][ow·s + kw − p]
func (e *emitter) im2colLoops(op *ir.Op, g convGeom, cols, x ir.View) jen.Code {
	var code []jen.Code
	e.inLoop(func() []jen.Code {
		c := lit(0)
		if g.c > 1 {
			c = vr("c")
		}
		code = e.im2colOffsets(op, g, c, cols, x)
		return nil
	})
	if g.c == 1 {
		return jen.Block(code...)
	}
	return forLoop("c", 0, g.c, 1, code)
}

// im2colOffsets loops over the kernel offsets of channel c, one spatial
// dimension at a time, then moves the rows of the innermost one.
func (e *emitter) im2colOffsets(op *ir.Op, g convGeom, c ix, cols, x ir.View) []jen.Code {
	d := len(g.in)
	ks, outs, los, his := []string{"k"}, []string{"o"}, []string{"oLo"}, []string{"oHi"}
	if d == 2 {
		ks, outs, los, his = []string{"kh", "kw"}, []string{"oh", "ow"}, []string{"ohLo", "owLo"}, []string{"ohHi", "owHi"}
	}
	// col0 and xi0 index cols and x at the row's first output position,
	// the innermost dimension's contribution left out.
	col0 := c.times(product(g.kdims()) * g.lout)
	xi0 := c.times(product(g.in))
	for i := 0; i < d; i++ {
		inner := product(g.in[i+1:])
		col0 = col0.add(vr(ks[i]).times(pow(g.k, d-1-i) * g.lout))
		xi0 = xi0.add(vr(ks[i]).times(inner)).plus(-g.p * inner)
		if i < d-1 {
			col0 = col0.add(vr(outs[i]).times(product(g.out[i+1:])))
			xi0 = xi0.add(vr(outs[i]).times(g.s * inner))
		}
	}
	last := d - 1
	body := []jen.Code{e.im2colRow(op, g, cols, col0, x, xi0, outs[last], los[last], his[last])}
	for i := d - 2; i >= 0; i-- { // the outer rows: for oh := ohLo; oh < ohHi; oh++
		body = []jen.Code{jen.For(jen.Id(outs[i]).Op(":=").Id(los[i]), jen.Id(outs[i]).Op("<").Id(his[i]), jen.Id(outs[i]).Op("++")).Block(body...)}
	}
	for i := d - 1; i >= 0; i-- { // the offsets, each with its span, skipped when empty
		span := jen.List(jen.Id(los[i]), jen.Id(his[i])).Op(":=").Add(e.callRow("convSpan",
			jen.Id(ks[i]), jen.Lit(g.s), jen.Lit(g.p), jen.Lit(g.in[i]), jen.Lit(g.out[i])))
		empty := jen.If(jen.Id(los[i]).Op(">=").Id(his[i])).Block(jen.Continue())
		body = []jen.Code{forLoop(ks[i], 0, g.k, 1, append([]jen.Code{span, empty}, body...))}
	}
	return body
}

// im2colRow moves one row of output positions [lo, hi) of the innermost
// dimension: cols[col0 + o] = x[xi0 + o·s] (im2col), or x[xi0 + o·s] +=
// cols[col0 + o] (col2im); with stride 1, as one copy or row add.
func (e *emitter) im2colRow(op *ir.Op, g convGeom, cols ir.View, col0 ix, x ir.View, xi0 ix, o, lo, hi string) jen.Code {
	if g.s == 1 {
		colRow := e.slice(cols, col0.add(vr(lo)), col0.add(vr(hi)))
		xRow := e.slice(x, xi0.add(vr(lo)), xi0.add(vr(hi)))
		if op.Kind == ir.OpCol2im {
			return e.callRow("addRow", xRow, colRow)
		}
		return jen.Copy(colRow, xRow)
	}
	move := e.moveCol(op, cols, col0.add(vr(o)), x, xi0.add(vr(o).times(g.s)), 0)
	return jen.For(jen.Id(o).Op(":=").Id(lo), jen.Id(o).Op("<").Id(hi), jen.Id(o).Op("++")).Block(move)
}

// slice is buf[base+i : base+j] of a view.
func (e *emitter) slice(v ir.View, i, j ix) *jen.Statement {
	return jen.Id(local(v.Buf)).Index(e.base(v).add(i).code(), e.base(v).add(j).code())
}

// pad copies one example into the padded channels a direct convolution
// reads through its window (ir.Conv.Direct, ir.Window): one call of the
// Pad kernel where ir selected it (the moves of ir.Conv.PadSteps in vector
// stores), else in Go. The zero borders are written only where another op
// writes the buffer too (ir.Op.Borders); else they stay as the zeroed
// workspace holds them. 1-D, each channel between p zeros:
//
//	xp[c·Lp : c·Lp+p] = 0; xp[c·Lp+p:][:L] = x[c·L:][:L]; xp[c·Lp+p+L:][:p] = 0
//
// 2-D, K copies of each channel (S elements each, in a channel of LdB),
// copy kw holding the rows between p zero rows (and p zeros before and
// after) with the columns that kernel column kw must not reach across a
// row's edge, d = kw − p of them, zeroed:
//
//	xp[c·LdB+kw·S:][:S] = 0; for h: xp[c·LdB + kw·S + p + (h+p)·W + lo:][:hi−lo] = x[c][h][lo:hi]
//
// with lo = max(d, 0), hi = W + min(d, 0), written as one copy of the
// image's H·W − |d| elements from lo on and then zeros at the |d| columns
// of each row that the copy carried across a row's edge (one copy of the
// whole image when d = 0).
func (e *emitter) pad(op *ir.Op) []jen.Code {
	g := op.Conv
	if k, ok := e.kernelOf(ir.Elementwise{Op: ir.Pad, DType: e.m.DType, N: g.PadBlock(), Chans: g.C, Pad: g, Borders: op.Borders}); ok {
		return []jen.Code{jen.Id(k.Name()).Call(e.rowPtr(op.Writes[0], lit(0), g.Padded()), e.rowPtr(op.Reads[0], lit(0), g.C*g.ImageSize()))}
	}
	var channel func(c ix) []jen.Code
	if len(g.In) == 1 {
		channel = func(c ix) []jen.Code { return e.pad1(op, c) }
	} else {
		channel = func(c ix) []jen.Code { return e.pad2(op, c) }
	}
	if g.C == 1 {
		return channel(lit(0))
	}
	return []jen.Code{forLoop("c", 0, g.C, 1, channel(vr("c")))}
}

// move is *dst[i:][:n] = *src[j:][:n].
func (e *emitter) move(dst ir.View, i ix, src ir.View, j ix, n int) jen.Code {
	return jen.Op("*").Add(e.rowPtr(dst, i, n)).Op("=").Op("*").Add(e.rowPtr(src, j, n))
}

func (e *emitter) pad1(op *ir.Op, c ix) []jen.Code {
	xp, x, g := op.Writes[0], op.Reads[0], op.Conv
	l, p := g.In[0], g.Pad
	row := c.times(l + 2*p)
	code := []jen.Code{e.move(xp, row.plus(p), x, c.times(l), l)}
	if p > 0 && op.Borders { // else they stay zero (ir.PadStep)
		code = append(code, e.clear(xp, row, p), e.clear(xp, row.plus(p+l), p))
	}
	return code
}

// clear is *dst[i:][:n] = [n]T{}.
func (e *emitter) clear(dst ir.View, i ix, n int) jen.Code {
	return jen.Op("*").Add(e.rowPtr(dst, i, n)).Op("=").Add(e.arr(n)).Values()
}

func (e *emitter) pad2(op *ir.Op, c ix) []jen.Code {
	xp, x, g := op.Writes[0], op.Reads[0], op.Conv
	h, w, p, win := g.In[0], g.In[1], g.Pad, g.Window()
	var code []jen.Code
	if end := g.K * win.Shift; op.Borders && end < win.LdB { // the channel rounded up: no tap reads it
		code = append(code, e.clear(xp, c.times(win.LdB).plus(end), win.LdB-end))
	}
	for kw := 0; kw < g.K; kw++ {
		base := c.times(win.LdB).plus(kw * win.Shift)
		if op.Borders { // else the borders around the image stay zero (ir.PadStep)
			code = append(code, e.clear(xp, base, win.Shift))
		}
		d := kw - p
		if d == 0 {
			code = append(code, e.move(xp, base.plus(p+p*w), x, c.times(h*w), h*w))
			continue
		}
		lo, hi := max(d, 0), w+min(d, 0)
		if hi <= lo {
			continue
		}
		// The image's rows as one copy, then the |d| columns of each row
		// that the copy carried across a row's edge zeroed: R4's Step ran
		// 9% faster than with a copy of hi−lo elements per row.
		at := base.plus(p + p*w)
		code = append(code, e.move(xp, at.plus(lo), x, c.times(h*w).plus(lo), h*w-(w-(hi-lo))))
		first, last, cols := 1, h, [2]int{0, lo} // d > 0: columns [0, d) of rows 1..h−1
		if d < 0 {
			first, last, cols = 0, h-1, [2]int{hi, w} // columns [w+d, w) of rows 0..h−2
		}
		zero := func(r ix) []jen.Code {
			var out []jen.Code
			for col := cols[0]; col < cols[1]; col++ {
				out = append(out, e.at(xp, at.add(r.times(w)).plus(col)).Op("=").Lit(0))
			}
			return out
		}
		if (last-first)*(cols[1]-cols[0]) > maxPadZeros {
			code = append(code, forLoop("hr", first, last, 1, zero(vr("hr"))))
			continue
		}
		for r := first; r < last; r++ {
			code = append(code, zero(lit(r))...)
		}
	}
	return code
}

// maxPadZeros is the most zero stores of a 2-D pad emitted straight-line
// per kernel column; taller images loop over their rows.
const maxPadZeros = 8
