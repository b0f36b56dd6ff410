package spec

import (
	"math"
	"strconv"
	"strings"
)

// This file turns the words of a statement into values: argument counts,
// known options, integers, numbers, booleans and enumerations. Every message
// starts with the statement keyword and points at the offending word.

// args checks that s has n positional arguments (what names them when missing)
// and reports any extra. It reports whether the first n are present.
func (c *checker) args(s *Stmt, n int, what string) bool {
	if len(s.Args) < n {
		c.errs.Add(s.Pos(), "%s: missing %s", s.Name(), what)
		return false
	}
	for _, a := range s.Args[n:] {
		c.errs.Add(a.Pos, "%s: unexpected argument %q", s.Name(), a.Text)
	}
	return true
}

// known refuses options outside allowed, and repeated options. An unknown
// option is reported with the options documented for s (none for a
// statement that takes none), the nearest of them suggested.
func (c *checker) known(s *Stmt, allowed, documented []string) {
	seen := map[string]bool{}
	for _, o := range s.Options {
		k := o.Key.Text
		switch {
		case len(allowed) == 0:
			c.errs.Add(o.Key.Pos, "%s: takes no options, got %q", s.Name(), k+"="+o.Value.Text)
		case !contains(allowed, k):
			c.errs.Add(o.Key.Pos, "%s: unknown option %q%s", s.Name(), k, optionHint(s.Name(), k, documented))
		case seen[k]:
			c.errs.Add(o.Key.Pos, "%s: duplicate option %q", s.Name(), k)
		}
		seen[k] = true
	}
}

// optionHint is accepted for an unknown option key of statement stmt.
func optionHint(stmt, key string, options []string) string {
	if len(options) == 0 {
		return " (" + stmt + " takes no options)"
	}
	return accepted(key, options, listed("options", options))
}

// noBlock refuses a "{" on a statement that does not open a block.
func (c *checker) noBlock(s *Stmt) {
	if s.Block {
		c.errs.Add(s.Open, "%s: does not open a block; only residual does", s.Name())
	}
}

// posInt parses a positive integer no larger than MaxDim.
func (c *checker) posInt(s *Stmt, what string, w Word) (int, bool) {
	if !isDigits(w.Text) || strings.Trim(w.Text, "0") == "" {
		c.errs.Add(w.Pos, "%s: %s must be a positive integer, got %q", s.Name(), what, w.Text)
		return 0, false
	}
	n, err := strconv.Atoi(w.Text)
	if err != nil || n > MaxDim {
		c.errs.Add(w.Pos, "%s: %s %s is over the limit of %d", s.Name(), what, w.Text, MaxDim)
		return 0, false
	}
	return n, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// intOpt is the positive integer option key, or def when absent.
func (c *checker) intOpt(s *Stmt, key string, def int) (int, bool) {
	o := s.Option(key)
	if o == nil {
		return def, true
	}
	return c.posInt(s, key, o.Value)
}

// needIntOpt is a positive integer option that must be present.
func (c *checker) needIntOpt(s *Stmt, key, placeholder string) (int, bool) {
	if s.Option(key) == nil {
		c.errs.Add(s.Pos(), "%s: missing option %s=%s", s.Name(), key, placeholder)
		return 0, false
	}
	return c.intOpt(s, key, 0)
}

// floatOpt is a finite number option satisfying in (described by want), or def.
func (c *checker) floatOpt(s *Stmt, key string, def float64, in func(float64) bool, want string) (float64, bool) {
	o := s.Option(key)
	if o == nil {
		return def, true
	}
	x, err := strconv.ParseFloat(o.Value.Text, 64)
	if err != nil || math.IsInf(x, 0) || math.IsNaN(x) || !in(x) {
		c.errs.Add(o.Value.Pos, "%s: %s must be %s, got %q", s.Name(), key, want, o.Value.Text)
		return def, false
	}
	if what := lostIn(x, c.m.DType); what != "" {
		c.errs.Add(o.Value.Pos, "%s: %s=%s is %s in %s, the model's dtype", s.Name(), key, o.Value.Text, what, c.m.DType)
		return def, false
	}
	return x, true
}

// lostIn says what a nonzero option value becomes in dtype t when it does
// not survive the conversion: 0 (or a subnormal, with most of its digits
// gone) or infinite; "" when it survives.
func lostIn(x float64, t DType) string {
	if x == 0 {
		return ""
	}
	small, big := 0x1p-1022, math.MaxFloat64
	if t == Float32 {
		small, big = 0x1p-126, math.MaxFloat32
	}
	switch a := math.Abs(x); {
	case a > big:
		return "infinite"
	case a < small:
		return "zero or subnormal"
	}
	return ""
}

func positive(x float64) bool { return x > 0 }

// boolOpt is a true/false option, or def.
func (c *checker) boolOpt(s *Stmt, key string, def bool) bool {
	o := s.Option(key)
	if o == nil {
		return def
	}
	switch o.Value.Text {
	case boolChoices.words[0]:
		return true
	case boolChoices.words[1]:
		return false
	}
	c.errs.Add(o.Value.Pos, "%s: %s must be %s, got %q", s.Name(), key, orList(boolChoices.words), o.Value.Text)
	return def
}

// enumOpt is the index in optionChoices[key] of option key's value, or def.
func (c *checker) enumOpt(s *Stmt, key string, def int) int {
	o := s.Option(key)
	if o == nil {
		return def
	}
	if i, ok := c.enum(s, key, o.Value, optionChoices[key]); ok {
		return i
	}
	return def
}

// enum is the index of w among the words of ch; an unknown word is
// reported with every accepted word, the nearest suggested.
func (c *checker) enum(s *Stmt, what string, w Word, ch choices) (int, bool) {
	for i, word := range ch.words {
		if w.Text == word {
			return i, true
		}
	}
	c.errs.Add(w.Pos, "%s: unknown %s %q%s", s.Name(), what, w.Text, accepted(w.Text, ch.words, listed(ch.label, ch.words)))
	return 0, false
}
