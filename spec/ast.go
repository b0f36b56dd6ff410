package spec

// This file holds the syntax tree that Parse produces and Check consumes.
// The tree is purely syntactic: every line is a Stmt, whatever its keyword;
// deciding which statements are headers, layers or the tail is Check's job.

// File is a parsed spec file.
type File struct {
	Name  string  // file name as given to Parse; it prefixes every position
	Stmts []*Stmt // top-level statements in source order
	End   Pos     // just past the last byte, for "missing ..." errors
}

// Word is one blank-separated word of a line.
type Word struct {
	Pos  Pos
	Text string
}

// Option is a key=value word.
type Option struct {
	Key   Word
	Value Word // Pos points just past the '='
}

// Stmt is one statement: a keyword, positional arguments, options and, for a
// line ending in "{", a nested block.
type Stmt struct {
	Keyword Word
	Args    []Word    // positional words after the keyword, in order
	Options []*Option // key=value words, in order
	Block   bool      // the line ended with "{"
	Open    Pos       // position of "{" when Block
	Body    []*Stmt   // statements of the block
}

// Pos is the position of the statement's keyword.
func (s *Stmt) Pos() Pos { return s.Keyword.Pos }

// Name is the statement's keyword.
func (s *Stmt) Name() string { return s.Keyword.Text }

// Option returns the first option with the given key, or nil.
func (s *Stmt) Option(key string) *Option {
	for _, o := range s.Options {
		if o.Key.Text == key {
			return o
		}
	}
	return nil
}
