package gen

import "github.com/dave/jennifer/jen"

// nest emits body for every index of the loop nest dims (named vars):
// straight-line when the whole nest, enclosing loops included, has at most
// UnrollMax iterations, else constant-count loops whose innermost one is
// unrolled.
func (e *emitter) nest(vars []string, dims []int, body func(idx []ix) []jen.Code) []jen.Code {
	return e.nestFrom(vars, dims, nil, body)
}

func (e *emitter) nestFrom(vars []string, dims []int, pre []ix, body func([]ix) []jen.Code) []jen.Code {
	if len(dims) == 0 {
		return body(pre)
	}
	with := func(i ix) []ix { return append(append([]ix(nil), pre...), i) }
	if dims[0] == 1 {
		return e.nestFrom(vars[1:], dims[1:], with(lit(0)), body)
	}
	if !e.looping && product(dims) <= e.opts.UnrollMax {
		var out []jen.Code
		for i := 0; i < dims[0]; i++ {
			out = append(out, e.nestFrom(vars[1:], dims[1:], with(lit(i)), body)...)
		}
		return out
	}
	if len(dims) == 1 {
		return e.unrolled(vars[0], 0, dims[0], func(i ix) []jen.Code { return body(with(i)) })
	}
	inner := e.inLoop(func() []jen.Code { return e.nestFrom(vars[1:], dims[1:], with(vr(vars[0])), body) })
	return []jen.Code{forLoop(vars[0], 0, dims[0], 1, inner)}
}

// unrolled emits body for i in [lo, hi): straight-line when short, else a
// loop stepping Unroll at a time with the body repeated, and the remainder.
func (e *emitter) unrolled(v string, lo, hi int, body func(ix) []jen.Code) []jen.Code {
	return e.unrolledTo(v, lo, hi, "", body)
}

// unrolledTo is unrolled with hi spelled as the constant name where the
// loop runs to it (a kernel's N or K).
func (e *emitter) unrolledTo(v string, lo, hi int, name string, body func(ix) []jen.Code) []jen.Code {
	n, u := hi-lo, e.opts.Unroll
	var out []jen.Code
	if n <= 0 {
		return nil
	}
	if n < 2*u {
		for i := lo; i < hi; i++ {
			out = append(out, body(lit(i))...)
		}
		return out
	}
	main := lo + n - n%u
	var inner []jen.Code
	for j := 0; j < u; j++ {
		inner = append(inner, body(vr(v).plus(j))...)
	}
	bound := jen.Lit(main)
	if name != "" && main == hi {
		bound = jen.Id(name)
	}
	out = append(out, forTo(v, lo, bound, u, inner))
	for i := main; i < hi; i++ {
		out = append(out, body(lit(i))...)
	}
	return out
}

// rows emits body once per row: each in its own block with a constant row
// index when n·work is small, else in a loop (body declares locals).
func (e *emitter) rows(v string, n, work int, body func(r ix) []jen.Code) []jen.Code {
	if n == 1 {
		return []jen.Code{jen.Block(body(lit(0))...)}
	}
	if e.looping || n*work > e.opts.UnrollMax {
		return []jen.Code{forLoop(v, 0, n, 1, e.inLoop(func() []jen.Code { return body(vr(v)) }))}
	}
	out := make([]jen.Code, n)
	for r := range out {
		out[r] = jen.Block(body(lit(r))...)
	}
	return out
}

// forRange is `for v := lo; v < hi; v++ { body }` with bounds known only
// at run time (a row range of the batch).
func forRange(v string, lo, hi jen.Code, body []jen.Code) jen.Code {
	return jen.For(jen.Id(v).Op(":=").Add(lo), jen.Id(v).Op("<").Add(hi), jen.Id(v).Op("++")).Block(body...)
}

// forLoop is `for v := lo; v < hi; v += step { body }`.
func forLoop(v string, lo, hi, step int, body []jen.Code) jen.Code {
	return forTo(v, lo, jen.Lit(hi), step, body)
}

// forTo is forLoop to a bound spelled hi (a literal or a constant's name).
func forTo(v string, lo int, hi jen.Code, step int, body []jen.Code) jen.Code {
	post := jen.Id(v).Op("++")
	if step != 1 {
		post = jen.Id(v).Op("+=").Lit(step)
	}
	return jen.For(jen.Id(v).Op(":=").Lit(lo), jen.Id(v).Op("<").Add(hi), post).Block(body...)
}

func product(dims []int) int {
	n := 1
	for _, d := range dims {
		n *= d
	}
	return n
}

// inLoop builds code that a runtime loop will enclose: nests inside it are
// not small, whatever their own size.
func (e *emitter) inLoop(build func() []jen.Code) []jen.Code {
	was := e.looping
	e.looping = true
	defer func() { e.looping = was }()
	return build()
}
