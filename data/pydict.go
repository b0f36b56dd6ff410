package data

// This file parses the Python dict literal of a .npy header: string keys,
// and values that are strings, True, False or tuples of integers.

import (
	"fmt"
	"strconv"
)

// pyValue is a value of the dict and its offset in the header.
type pyValue struct {
	value any // string, bool or []int; nil for a value of another kind (a list)
	at    int
}

// pyError is a syntax error at an offset of the header.
type pyError struct {
	at  int
	msg string
}

// pyParser reads a header from left to right.
type pyParser struct {
	s   []byte
	pos int
}

// parsePyDict parses {'key': value, …} followed by spaces and a newline.
func parsePyDict(s []byte) (map[string]pyValue, *pyError) {
	p := &pyParser{s: s}
	d := map[string]pyValue{}
	if err := p.expect('{'); err != nil {
		return nil, err
	}
	for !p.peek('}') {
		at := p.skipSpace()
		key, err := p.string()
		if err != nil {
			return nil, err
		}
		if _, dup := d[key]; dup {
			return nil, &pyError{at, fmt.Sprintf("key %q repeated", key)}
		}
		if err := p.expect(':'); err != nil {
			return nil, err
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		d[key] = v
		if !p.peek('}') {
			if err := p.expect(','); err != nil {
				return nil, err
			}
		}
	}
	p.pos++
	if at := p.skipSpace(); at != len(s) {
		return nil, &pyError{at, fmt.Sprintf("%q after the dict", s[at:min(len(s), at+10)])}
	}
	return d, nil
}

// value parses a string, True, False or a tuple of integers; a list is
// skipped, as a nil value (a structured array's descr).
func (p *pyParser) value() (pyValue, *pyError) {
	at := p.skipSpace()
	switch {
	case p.peek('\'') || p.peek('"'):
		s, err := p.string()
		return pyValue{s, at}, err
	case p.peek('('):
		t, err := p.tuple()
		return pyValue{t, at}, err
	case p.peek('['):
		return pyValue{nil, at}, p.skipList()
	}
	word := p.word()
	switch word {
	case "True":
		return pyValue{true, at}, nil
	case "False":
		return pyValue{false, at}, nil
	}
	return pyValue{}, &pyError{at, fmt.Sprintf("unexpected %q: want a string, True, False or a tuple", p.s[at:min(len(p.s), at+max(1, len(word)))])}
}

// string parses a quoted string without escapes.
func (p *pyParser) string() (string, *pyError) {
	at := p.skipSpace()
	if at == len(p.s) || (p.s[at] != '\'' && p.s[at] != '"') {
		return "", p.unexpected("a quoted string")
	}
	for i := at + 1; i < len(p.s); i++ {
		switch p.s[i] {
		case p.s[at]:
			p.pos = i + 1
			return string(p.s[at+1 : i]), nil
		case '\\', '\n':
			return "", &pyError{i, "escapes and newlines in strings are not supported"}
		}
	}
	return "", &pyError{len(p.s), "unterminated string"}
}

// tuple parses (), (n,) or (n, m, …); Python 2's 3L is read as 3.
func (p *pyParser) tuple() ([]int, *pyError) {
	p.expect('(')
	t := []int{}
	for !p.peek(')') {
		at := p.skipSpace()
		word := p.word()
		if len(word) > 1 && word[len(word)-1] == 'L' {
			word = word[:len(word)-1]
		}
		n, err := strconv.Atoi(word)
		if err != nil || n < 0 {
			return nil, &pyError{at, fmt.Sprintf("dimension %q is not a non-negative integer", word)}
		}
		t = append(t, n)
		if !p.peek(')') {
			if err := p.expect(','); err != nil {
				return nil, err
			}
		}
	}
	p.pos++
	return t, nil
}

// skipList skips a list, nested lists and tuples included.
func (p *pyParser) skipList() *pyError {
	at, depth := p.pos, 0
	for ; p.pos < len(p.s); p.pos++ {
		switch p.s[p.pos] {
		case '[', '(':
			depth++
		case ']', ')':
			depth--
			if depth == 0 {
				p.pos++
				return nil
			}
		}
	}
	return &pyError{at, "unterminated list"}
}

// word returns the run of letters, digits, '_', '-' and '+' at the position.
func (p *pyParser) word() string {
	at := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '+') {
			break
		}
		p.pos++
	}
	return string(p.s[at:p.pos])
}

// peek skips spaces and reports whether the next byte is c.
func (p *pyParser) peek(c byte) bool {
	p.skipSpace()
	return p.pos < len(p.s) && p.s[p.pos] == c
}

// expect skips spaces and c, or returns an error.
func (p *pyParser) expect(c byte) *pyError {
	if !p.peek(c) {
		return p.unexpected(strconv.QuoteRune(rune(c)))
	}
	p.pos++
	return nil
}

// unexpected returns an error at the position: what is there, and what was wanted.
func (p *pyParser) unexpected(want string) *pyError {
	if p.pos == len(p.s) {
		return &pyError{p.pos, "header ends, want " + want}
	}
	return &pyError{p.pos, fmt.Sprintf("unexpected %q, want %s", p.s[p.pos], want)}
}

// skipSpace skips spaces, tabs and newlines and returns the new position.
func (p *pyParser) skipSpace() int {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\n' || p.s[p.pos] == '\r') {
		p.pos++
	}
	return p.pos
}
