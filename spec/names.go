package spec

import (
	"fmt"
	"go/token"
	"strings"
)

// Layer naming (docs/language.md, "Names"): a layer's ID is its name=
// value, or its kind and ordinal, counting every layer of that kind in spec
// order, named and nested ones included ("dense2", "relu3", "residual1").
// The parameter prefix is the ID with its first letter upper-cased
// ("Dense2", "Enc").

// idUse records who took an ID, to explain a collision.
type idUse struct {
	pos   Pos  // the layer keyword, or the name= value for a named layer
	named bool // set by name=
}

// name gives l its ID and, if it has parameters, its Prefix.
func (c *checker) name(l *Layer, s *Stmt) {
	c.counts[l.Kind]++
	l.ID = fmt.Sprintf("%s%d", l.Kind, c.counts[l.Kind])
	use := idUse{pos: l.Pos}
	if o := s.Option("name"); o != nil && layerSpecs[l.Kind].params {
		if !c.layerName(s, o.Value) {
			return
		}
		l.ID, use = o.Value.Text, idUse{pos: o.Value.Pos, named: true}
	}
	c.claim(l.ID, use)
	if layerSpecs[l.Kind].params {
		l.Prefix = strings.ToUpper(l.ID[:1]) + l.ID[1:]
	}
}

// layerName checks a name= value.
func (c *checker) layerName(s *Stmt, w Word) bool {
	switch {
	case !isLowerIdent(w.Text):
		c.errs.Add(w.Pos, "%s: name must be a lower-case identifier (a-z, then a-z, 0-9 or _), got %q", s.Name(), w.Text)
	case isGoKeyword(w.Text):
		c.errs.Add(w.Pos, "%s: name %q is a Go keyword", s.Name(), w.Text)
	default:
		return true
	}
	return false
}

// claim records id and reports a clash, at whichever side wrote name=.
func (c *checker) claim(id string, use idUse) {
	prev, taken := c.ids[id]
	switch {
	case !taken:
		c.ids[id] = use
	case use.named && prev.named:
		c.errs.Add(use.pos, "duplicate name %q; the first is at %s", id, prev.pos)
	case use.named:
		c.errs.Add(use.pos, "name %q is already the name of the layer at %s", id, prev.pos)
	default:
		c.errs.Add(prev.pos, "name %q is also the generated name of the layer at %s; pick another", id, use.pos)
	}
}

// isLowerIdent reports whether s is a-z followed by a-z, 0-9 or _.
func isLowerIdent(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		ch := s[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '_') {
			return false
		}
	}
	return true
}

func isGoKeyword(s string) bool { return token.IsKeyword(s) }
