package gen

import (
	"strconv"

	"github.com/dave/jennifer/jen"
)

// ix is an affine index Σ cᵢ·vᵢ + k, folded at generation time so that
// straight-line code indexes with plain constants.
type ix struct {
	vars  []string
	coefs []int
	k     int
}

func lit(k int) ix         { return ix{k: k} }
func vr(name string) ix    { return ix{vars: []string{name}, coefs: []int{1}} }
func (a ix) plus(k int) ix { a.k += k; return a }

// add returns a + b, merging equal variables.
func (a ix) add(b ix) ix {
	r := ix{vars: append([]string(nil), a.vars...), coefs: append([]int(nil), a.coefs...), k: a.k + b.k}
	for i, v := range b.vars {
		found := false
		for j, w := range r.vars {
			if w == v {
				r.coefs[j] += b.coefs[i]
				found = true
			}
		}
		if !found {
			r.vars = append(r.vars, v)
			r.coefs = append(r.coefs, b.coefs[i])
		}
	}
	return r
}

// times returns c·a.
func (a ix) times(c int) ix {
	r := ix{vars: a.vars, coefs: make([]int, len(a.coefs)), k: a.k * c}
	for i, x := range a.coefs {
		r.coefs[i] = x * c
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
