package gen

import (
	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
)

// Pooling is plain Go loops over planes (examples × channels) and output
// positions; a window of at most maxPoolUnroll elements is unrolled, its
// offsets folded into constant indices. The loops move no data in bulk, so
// there is nothing for assembly to do.
const maxPoolUnroll = 16

// pool is, per output, the maximum of its window (the first maximum, a NaN
// winning so as not to hide it, as in PyTorch) or its mean.
func (e *emitter) pool(op *ir.Op) []jen.Code {
	p, z, h := op.Pool, op.Reads[0], op.Writes[0]
	return poolOutputs(p, func(o, origin ix) []jen.Code {
		if p.Max {
			out := []jen.Code{jen.Id("best").Op(":=").Add(e.at(z, origin))}
			out = append(out, poolWindow(p, origin, func(j ix, first bool) []jen.Code {
				if first {
					return nil // best starts there
				}
				return []jen.Code{jen.If(jen.Id("v").Op(":=").Add(e.at(z, j)), isNewMax()).Block(jen.Id("best").Op("=").Id("v"))}
			})...)
			return append(out, e.at(h, o).Op("=").Id("best"))
		}
		out := []jen.Code{jen.Var().Id("sum").Add(e.T())}
		out = append(out, poolWindow(p, origin, func(j ix, _ bool) []jen.Code {
			return []jen.Code{jen.Id("sum").Op("+=").Add(e.at(z, j))}
		})...)
		return append(out, e.at(h, o).Op("=").Id("sum").Op("/").Lit(p.Window()))
	})
}

// poolGrad zeroes ∂z, then adds each output's gradient to the window's
// first maximum, found again in z as the forward pass found it, or 1/w of
// it to every element of the window; overlapping windows add up.
func (e *emitter) poolGrad(op *ir.Op) []jen.Code {
	p, dh, dz, z := op.Pool, op.Reads[0], op.Writes[0], op.Reads[1]
	out := []jen.Code{e.zero(dz)}
	return append(out, poolOutputs(p, func(o, origin ix) []jen.Code {
		if p.Max && p.Window() == 1 {
			return []jen.Code{e.at(dz, origin).Op("+=").Add(e.at(dh, o))}
		}
		if p.Max {
			body := []jen.Code{jen.List(jen.Id("best"), jen.Id("at")).Op(":=").List(e.at(z, origin), origin.code())}
			body = append(body, poolWindow(p, origin, func(j ix, first bool) []jen.Code {
				if first {
					return nil
				}
				return []jen.Code{jen.If(jen.Id("v").Op(":=").Add(e.at(z, j)), isNewMax()).Block(
					jen.List(jen.Id("best"), jen.Id("at")).Op("=").List(jen.Id("v"), j.code()))}
			})...)
			return append(body, e.at(dz, vr("at")).Op("+=").Add(e.at(dh, o)))
		}
		body := []jen.Code{jen.Id("g").Op(":=").Add(e.at(dh, o)).Op("/").Lit(p.Window())}
		return append(body, poolWindow(p, origin, func(j ix, _ bool) []jen.Code {
			return []jen.Code{e.at(dz, j).Op("+=").Id("g")}
		})...)
	})...)
}

// isNewMax is v > best || v != v: a larger value, or a NaN.
func isNewMax() jen.Code {
	return jen.Id("v").Op(">").Id("best").Op("||").Id("v").Op("!=").Id("v")
}

// poolOutputs emits body for every output o of every plane, with the index
// of its window's first element; each body runs in a scope of its own.
func poolOutputs(p *ir.Pool, body func(o, origin ix) []jen.Code) []jen.Code {
	in, out := product(p.In), product(p.Out)
	vars, dims := []string{"c", "i"}, []int{p.Planes, p.Out[0]}
	if len(p.Out) == 2 {
		vars, dims = []string{"c", "r", "s"}, []int{p.Planes, p.Out[0], p.Out[1]}
	}
	code := loopNest(vars, dims, false, func(x []ix) []jen.Code {
		o, origin := x[0].times(out), x[0].times(in)
		for d := 1; d < len(x); d++ {
			o = o.add(x[d].times(product(p.Out[d:])))
			origin = origin.add(x[d].times(p.Stride * product(p.In[d:])))
		}
		return body(o, origin)
	})
	if product(dims) == 1 {
		return []jen.Code{jen.Block(code...)}
	}
	return code
}

// poolWindow emits body for every element j of the window at origin, in
// row-major order: the order that decides ties. first is set for the
// origin itself when the window is unrolled.
func poolWindow(p *ir.Pool, origin ix, body func(j ix, first bool) []jen.Code) []jen.Code {
	vars, dims := []string{"k"}, []int{p.K}
	if len(p.In) == 2 {
		vars, dims = []string{"k", "l"}, []int{p.K, p.K}
	}
	return loopNest(vars, dims, p.Window() <= maxPoolUnroll, func(x []ix) []jen.Code {
		j, first := origin, true
		for d := range x {
			j = j.add(x[d].times(product(p.In[d+1:])))
			first = first && x[d].isConst() && x[d].k == 0
		}
		return body(j, first)
	})
}

// loopNest emits body for every index of dims: straight-line when unroll,
// else one loop per dimension longer than 1.
func loopNest(vars []string, dims []int, unroll bool, body func([]ix) []jen.Code) []jen.Code {
	var nest func(d int, pre []ix) []jen.Code
	nest = func(d int, pre []ix) []jen.Code {
		if d == len(dims) {
			return body(pre)
		}
		with := func(i ix) []ix { return append(append([]ix(nil), pre...), i) }
		switch {
		case dims[d] == 1:
			return nest(d+1, with(lit(0)))
		case unroll:
			var out []jen.Code
			for i := 0; i < dims[d]; i++ {
				out = append(out, nest(d+1, with(lit(i)))...)
			}
			return out
		}
		return []jen.Code{forLoop(vars[d], 0, dims[d], 1, nest(d+1, with(vr(vars[d]))))}
	}
	return nest(0, nil)
}
