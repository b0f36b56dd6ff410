package spec

import "path/filepath"

// Check resolves a parsed spec into a Model: it sorts the statements into
// header, layers and tail, resolves every option to a value, infers every
// shape and names every layer and parameter. It reports all the problems it
// can find in one ErrorList; after an error in a layer the shapes downstream
// are unknown and not checked, so one mistake gives one message.
func Check(f *File) (*Model, error) {
	c := &checker{
		f:     f,
		m:     &Model{File: filepath.Base(f.Name), Batch: 1, DType: Float32},
		first: map[string]*Stmt{},
		ids:   map[string]idUse{},
	}
	c.sections()
	c.header()
	c.m.Layers, c.m.Output = c.block(c.layers, c.m.Input)
	c.tail()
	c.limitBatch()
	if err := c.errs.Err(); err != nil {
		return nil, err
	}
	c.m.Walk(func(l *Layer) { c.m.Params = append(c.m.Params, l.Params...) })
	c.limitMemory() // these two need the whole model, shapes and tail
	c.limitFLOPs()
	if err := c.errs.Err(); err != nil {
		return nil, err
	}
	return c.m, nil
}

type checker struct {
	f       *File
	m       *Model
	errs    ErrorList
	first   map[string]*Stmt // first header or tail statement of each keyword
	layers  []*Stmt          // top-level layer statements, in order
	counts  [len(KindNames)]int
	ids     map[string]idUse // layer IDs given so far
	params  int64            // parameters so far, saturating
	nlayers int              // layer statements so far
}

type section int

const (
	secHeader section = iota
	secLayers
	secTail
	secUnknown
)

// sectionOf says where a statement keyword belongs.
func sectionOf(word string) section {
	switch {
	case contains(headerWords, word):
		return secHeader
	case contains(tailWords, word):
		return secTail
	}
	if _, ok := kindOf(word); ok {
		return secLayers
	}
	return secUnknown
}

// sections sorts the top-level statements and enforces their order:
// header statements (any order), then layers, then loss and optimizer (any
// order). A misplaced statement is reported but still used, and an unknown
// one counts as what it resembles, so one mistake gives one message.
func (c *checker) sections() {
	at := secHeader
	guessed := map[string]bool{}
	for _, s := range c.f.Stmts {
		sec := sectionOf(s.Name())
		if sec == secUnknown {
			guess := nearest(s.Name(), allWords())
			guessed[guess] = true
			if at != secLayers && sectionOf(guess) != secLayers {
				c.unknown(s, false)
				continue
			}
			sec = secLayers // block() reports it as an unknown layer
		}
		c.order(s, sec, at)
		if sec == secLayers {
			c.layers = append(c.layers, s)
		} else {
			c.once(s)
		}
		at = max(at, sec)
	}
	c.missing(guessed)
}

// order refuses a statement of section sec met in section at.
func (c *checker) order(s *Stmt, sec, at section) {
	switch {
	case sec == secHeader && at > secHeader:
		c.errs.Add(s.Pos(), "%s: header statements must come before the first layer", s.Name())
	case sec == secLayers && at == secTail:
		c.errs.Add(s.Pos(), "%s: layer after the loss or optimizer; layers must come before them", s.Name())
	}
}

// once records the first statement of a keyword and refuses repeats.
func (c *checker) once(s *Stmt) {
	if prev := c.first[s.Name()]; prev != nil {
		c.errs.Add(s.Pos(), "duplicate %q statement; the first is at %s", s.Name(), prev.Pos())
		return
	}
	c.first[s.Name()] = s
}

// allWords is every statement keyword.
func allWords() []string {
	return append(append(append([]string{}, headerWords...), KindNames[:]...), tailWords...)
}

// unknown reports a statement keyword that is neither header, layer nor tail,
// with the words it could have meant: a layer when it resembles one, or when
// it stands among the layers and resembles nothing.
func (c *checker) unknown(s *Stmt, inLayers bool) {
	words := allWords()
	near := nearest(s.Name(), words)
	layers := listed("layers", KindNames[:])
	if sectionOf(near) == secLayers || near == "" && inLayers {
		c.errs.Add(s.Pos(), "unknown layer %q%s", s.Name(), accepted(s.Name(), words, layers))
		return
	}
	stmts := listed("statements", append(append([]string{}, headerWords...), tailWords...))
	c.errs.Add(s.Pos(), "unknown statement %q%s", s.Name(), accepted(s.Name(), words, stmts+"; "+layers))
}

// missing reports required statements that never came, unless an unknown
// statement looked like one of them.
func (c *checker) missing(guessed map[string]bool) {
	for _, w := range []string{"model", "input"} {
		if c.first[w] == nil && !guessed[w] {
			c.errs.Add(c.headerEnd(), "missing %q statement", w)
		}
	}
	if len(c.layers) == 0 {
		c.errs.Add(c.f.End, "no layers; a model needs at least one")
	}
	for _, w := range tailWords {
		if c.first[w] == nil && !guessed[w] {
			c.errs.Add(c.f.End, "missing %q statement", w)
		}
	}
}

// headerEnd is where a missing header statement is reported: at the first
// layer, or at the end of the file when there is none.
func (c *checker) headerEnd() Pos {
	if len(c.layers) > 0 {
		return c.layers[0].Pos()
	}
	return c.f.End
}

func contains(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}
