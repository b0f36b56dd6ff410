package gen

import (
	"strconv"

	"github.com/dave/jennifer/jen"
)

// ix is an affine index Σ cᵢ·vᵢ + k, folded at generation time so that
// straight-line code indexes with plain constants. A term's coefficient may
// be a named constant (syms[i], times cᵢ): "i*N + j" rather than "i*128 +
// j", so that a kernel's body does not change with its shape.
type ix struct {
	vars  []string
	coefs []int
	syms  []string // "" for a plain coefficient
	k     int
}

func lit(k int) ix         { return ix{k: k} }
func vr(name string) ix    { return ix{vars: []string{name}, coefs: []int{1}, syms: []string{""}} }
func (a ix) plus(k int) ix { a.k += k; return a }

// add returns a + b, merging equal terms.
func (a ix) add(b ix) ix {
	r := ix{vars: append([]string(nil), a.vars...), coefs: append([]int(nil), a.coefs...),
		syms: append([]string(nil), a.syms...), k: a.k + b.k}
	for i, v := range b.vars {
		found := false
		for j, w := range r.vars {
			if w == v && r.syms[j] == b.syms[i] {
				r.coefs[j] += b.coefs[i]
				found = true
			}
		}
		if !found {
			r.vars = append(r.vars, v)
			r.coefs = append(r.coefs, b.coefs[i])
			r.syms = append(r.syms, b.syms[i])
		}
	}
	return r
}

// times returns c·a.
func (a ix) times(c int) ix {
	r := ix{vars: a.vars, coefs: make([]int, len(a.coefs)), syms: a.syms, k: a.k * c}
	for i, x := range a.coefs {
		r.coefs[i] = x * c
	}
	return r
}

// timesConst returns a times the named constant name of value c: its
// variables' terms name it, its constant part is folded.
func (a ix) timesConst(name string, c int) ix {
	r := ix{vars: a.vars, coefs: a.coefs, syms: make([]string, len(a.syms)), k: a.k * c}
	for i, s := range a.syms {
		if s != "" {
			panic("gen: index " + a.vars[i] + " already scaled by " + s)
		}
		r.syms[i] = name
	}
	return r
}

func (a ix) isConst() bool {
	for _, c := range a.coefs {
		if c != 0 {
			return false
		}
	}
	return true
}

// code renders the index: "b*784 + i + 3", "12".
func (a ix) code() *jen.Statement {
	s := jen.Null()
	first := true
	for i, v := range a.vars {
		c := a.coefs[i]
		if c == 0 {
			continue
		}
		if !first {
			s.Op("+")
		}
		first = false
		s.Id(v)
		if a.syms[i] != "" {
			s.Op("*").Id(a.syms[i])
		}
		if c != 1 {
			s.Op("*").Lit(c)
		}
	}
	switch {
	case first:
		s.Lit(a.k)
	case a.k > 0:
		s.Op("+").Lit(a.k)
	case a.k < 0:
		s.Op("-").Lit(-a.k)
	}
	return s
}

// flit is a float constant spelled as strconv's shortest round-trip form,
// so that it parses back to exactly x.
func flit(x float64) jen.Code { return jen.Op(strconv.FormatFloat(x, 'g', -1, 64)) }
