package spec

// The lexer splits one line into words. It knows only blanks, "#" comments
// and braces; everything else is a word. Columns count bytes from 1.

type tokKind int

const (
	tokWord  tokKind = iota
	tokOpen          // "{"
	tokClose         // "}"
)

type lexeme struct {
	kind tokKind
	Word
}

func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// lexLine returns the tokens of one line; braces are tokens of their own
// even when written against a word ("residual{").
func lexLine(file string, lineNo int, line []byte) []lexeme {
	var toks []lexeme
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == '#':
			return toks
		case isBlank(c):
			i++
		case c == '{' || c == '}':
			kind := tokOpen
			if c == '}' {
				kind = tokClose
			}
			toks = append(toks, lexeme{kind, Word{Pos{file, lineNo, i + 1}, string(c)}})
			i++
		default:
			j := i
			for j < len(line) && !isBlank(line[j]) && !isSpecial(line[j]) {
				j++
			}
			toks = append(toks, lexeme{tokWord, Word{Pos{file, lineNo, i + 1}, string(line[i:j])}})
			i = j
		}
	}
	return toks
}

func isSpecial(c byte) bool { return c == '#' || c == '{' || c == '}' }
