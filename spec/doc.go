// Package spec reads `.nn` specs (the language: docs/language.md) in two stages:
//
//	Parse(filename, src) → *File    layout only: lines, words, key=value, braces
//	Check(*File)         → *Model   meaning: sections, options, shapes, names, limits
//
// Load and ParseAndCheck run both. Every error is an ErrorList of
// `file:line:col: message` entries sorted by position, pointing at the
// offending word; as many problems as can be told apart are reported at once.
//
// Files: ast.go, lex.go, parse.go (syntax); check.go (sections and order),
// header.go, layers.go (the layer table), options.go (values), shapes.go,
// names.go, tail.go, limits.go; vocab.go (every keyword, option and value,
// which language_doc_test.go checks docs/language.md against); errors.go
// and suggest.go (messages); model.go (the checked model every later stage
// reads); cost.go (FLOPs).
package spec
