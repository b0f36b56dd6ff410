package spec

import (
	"fmt"
	"strings"
)

// header resolves model, input, batch and dtype.
func (c *checker) header() {
	for _, w := range headerWords {
		s := c.first[w]
		if s == nil {
			continue
		}
		c.known(s, nil, nil)
		c.noBlock(s)
		switch w {
		case "model":
			c.model(s)
		case "input":
			c.input(s)
		case "batch":
			if c.args(s, 1, "batch size") {
				c.m.Batch, _ = c.posInt(s, "size", s.Args[0])
				c.m.Batch = max(c.m.Batch, 1)
			}
		case "dtype":
			if c.args(s, 1, "type: "+orList(dtypeChoices.words)) {
				t, _ := c.enum(s, "type", s.Args[0], dtypeChoices)
				c.m.DType = DType(t)
			}
		}
	}
}

// model checks the package name.
func (c *checker) model(s *Stmt) {
	if !c.args(s, 1, "name") {
		return
	}
	w := s.Args[0]
	if err := CheckPackageName(w.Text); err != nil {
		c.errs.Add(w.Pos, "model: %v", err)
		return
	}
	c.m.Name = w.Text
}

// CheckPackageName reports whether name can name a generated package: the
// rule for `model NAME`, also applied to `nngen gen -pkg`.
func CheckPackageName(name string) error {
	switch {
	case !isLowerIdent(name):
		return fmt.Errorf("name must be a lower-case identifier (a-z, then a-z, 0-9 or _), got %q", name)
	case isGoKeyword(name):
		return fmt.Errorf("name %q is a Go keyword; it cannot name a package", name)
	case name == "main":
		return fmt.Errorf("name \"main\" would make a command, not an importable package")
	}
	return nil
}

// input parses D, CxL or CxHxW.
func (c *checker) input(s *Stmt) {
	if !c.args(s, 1, "shape: D, CxL or CxHxW") {
		return
	}
	w := s.Args[0]
	parts := strings.Split(w.Text, "x")
	if len(parts) > 3 {
		c.errs.Add(w.Pos, "input: shape must be D, CxL or CxHxW, got %q", w.Text)
		return
	}
	shape := make(Shape, len(parts))
	for i, p := range parts {
		at := w
		at.Text = p
		at.Pos.Col += len(strings.Join(parts[:i], "x")) + min(i, 1)
		n, ok := c.posInt(s, "dimension", at)
		if !ok {
			return
		}
		shape[i] = n
	}
	if c.limitShape(w.Pos, "input:", shape) {
		c.m.Input = shape
	}
}
