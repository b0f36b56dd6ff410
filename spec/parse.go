package spec

import (
	"bytes"
	"strings"
)

// Parse reads a spec into its syntax tree. It checks only the layout (one
// statement a line, options as key=value, balanced braces); what the words
// mean is Check's business. It reports every layout error it finds, as an
// ErrorList, and returns the partial tree alongside. It never panics. A
// source over MaxSpecBytes is refused unread, with an empty tree.
func Parse(filename string, src []byte) (*File, error) {
	if len(src) > MaxSpecBytes {
		return &File{Name: filename, End: Pos{filename, 1, 1}}, tooLong(filename, int64(len(src)))
	}
	p := &parser{file: filename}
	lines := bytes.Split(normalize(src), []byte("\n"))
	for i, line := range lines {
		p.line(lexLine(filename, i+1, line))
	}
	for _, s := range p.stack {
		p.errs.Add(s.Open, "unclosed block: %q opened here has no closing \"}\"", s.Name())
	}
	last := lines[len(lines)-1]
	f := &File{Name: filename, Stmts: p.top, End: Pos{filename, len(lines), len(last) + 1}}
	return f, p.errs.Err()
}

// normalize drops a UTF-8 byte order mark (columns count from after it) and
// makes CRLF and lone CR line endings (old Mac files) into LF.
func normalize(src []byte) []byte {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	if bytes.IndexByte(src, '\r') < 0 {
		return src
	}
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
}

type parser struct {
	file  string
	errs  ErrorList
	top   []*Stmt // top-level statements
	stack []*Stmt // open blocks, innermost last
	// tooDeep is set once nesting passed MaxNesting; the checker recurses
	// per level, so a deeper file is refused here, once.
	tooDeep bool
}

// line handles the tokens of one line.
func (p *parser) line(toks []lexeme) {
	if len(toks) == 0 {
		return
	}
	switch toks[0].kind {
	case tokClose:
		p.close(toks)
	case tokOpen:
		p.errs.Add(toks[0].Pos, "\"{\" must end a statement line, not start one")
		p.open(&Stmt{Keyword: Word{Pos: toks[0].Pos}}, toks[0].Pos, false)
	default:
		p.stmt(toks)
	}
}

// close pops the innermost block for a "}" line.
func (p *parser) close(toks []lexeme) {
	if len(toks) > 1 {
		p.errs.Add(toks[1].Pos, "unexpected %q after \"}\"; \"}\" must be alone on its line", toks[1].Text)
	}
	if len(p.stack) == 0 {
		p.errs.Add(toks[0].Pos, "stray \"}\" with no open block")
		return
	}
	p.stack = p.stack[:len(p.stack)-1]
}

// stmt builds the statement of a line starting with a word.
func (p *parser) stmt(toks []lexeme) {
	s := &Stmt{Keyword: toks[0].Word}
	ok := true
	if strings.Contains(s.Keyword.Text, "=") {
		p.errs.Add(s.Keyword.Pos, "expected a statement, got option %q", s.Keyword.Text)
		ok = false
	}
	for i, t := range toks[1:] {
		switch {
		case t.kind == tokClose:
			p.errs.Add(t.Pos, "unexpected \"}\"; \"}\" must be alone on its line")
		case t.kind == tokOpen && i < len(toks)-2:
			p.errs.Add(t.Pos, "unexpected %q after \"{\"; \"{\" must end the line", toks[i+2].Text)
			p.open(s, t.Pos, false) // so that its "}" is not reported as stray
			return
		case t.kind == tokOpen:
			p.open(s, t.Pos, ok)
			return
		default:
			p.word(s, t.Word)
		}
	}
	if ok {
		p.add(s)
	}
}

// word records an argument or a key=value option of s.
func (p *parser) word(s *Stmt, w Word) {
	k := strings.IndexByte(w.Text, '=')
	if k < 0 {
		s.Args = append(s.Args, w)
		return
	}
	key, val := w.Text[:k], w.Text[k+1:]
	if key == "" || val == "" || strings.Contains(val, "=") {
		p.errs.Add(w.Pos, "malformed option %q; want key=value", w.Text)
		return
	}
	vpos := w.Pos
	vpos.Col += k + 1
	s.Options = append(s.Options, &Option{Key: Word{w.Pos, key}, Value: Word{vpos, val}})
}

// open starts the block of s; a statement already refused is still pushed
// so that its "}" does not look stray.
func (p *parser) open(s *Stmt, at Pos, keep bool) {
	s.Block, s.Open = true, at
	if len(p.stack) == MaxNesting && !p.tooDeep {
		p.errs.Add(at, "blocks nested more than %d deep", MaxNesting)
		p.tooDeep = true
	}
	if keep {
		p.add(s)
	}
	p.stack = append(p.stack, s)
}

// add appends s to the innermost open block, or to the top level.
func (p *parser) add(s *Stmt) {
	if n := len(p.stack); n > 0 {
		p.stack[n-1].Body = append(p.stack[n-1].Body, s)
		return
	}
	p.top = append(p.top, s)
}
