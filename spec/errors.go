package spec

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// maxReported is how many errors ErrorList.Error prints before summarising.
const maxReported = 10

// Error is one problem in a spec, at a position.
type Error struct {
	Pos Pos
	Msg string // lowercase, no trailing period
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList is every problem found in a spec, sorted by position.
type ErrorList []*Error

// Add appends an error at pos. Quoted (%q) words longer than maxQuoted are
// cut, so that a hostile spec cannot make one message megabytes long.
func (l *ErrorList) Add(pos Pos, format string, args ...any) {
	for i, verb := range verbs(format) {
		if i >= len(args) {
			break
		}
		if s, ok := args[i].(string); ok && verb == 'q' && len(s) > maxQuoted {
			args[i] = cut(s)
		}
	}
	*l = append(*l, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// verbs lists the verbs of a format string in order ("%%" is none).
func verbs(format string) []byte {
	var out []byte
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("+-# 0123456789.", format[j]) >= 0 {
			j++
		}
		if j < len(format) && format[j] != '%' {
			out = append(out, format[j])
		}
		i = j
	}
	return out
}

// maxQuoted is the longest word an error message quotes whole.
const maxQuoted = 40

// cut is s's first maxQuoted bytes (whole UTF-8 characters), then "…".
func cut(s string) string {
	n := maxQuoted
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Sort orders the list by file, line and column, keeping insertion order
// among errors at the same position.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool { return posLess(l[i].Pos, l[j].Pos) })
}

func posLess(a, b Pos) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Col < b.Col
}

// Err returns the sorted list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

// Error prints up to maxReported errors, one a line, then how many were left out.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i == maxReported {
			fmt.Fprintf(&b, "\n(and %d more errors)", len(l)-maxReported)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}
