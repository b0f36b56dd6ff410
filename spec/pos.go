package spec

import "fmt"

// Pos is a position in a spec file; every AST node and checked layer carries
// one so that any later stage can report `file:line:col`.
type Pos struct {
	File string
	Line int // 1-based
	Col  int // 1-based, in bytes
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }
