package spec

import (
	"fmt"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The language reference, docs/language.md, is kept true by the tests in
// this file: every word the checker accepts (vocabulary, read from the
// checker's own tables) is documented as `code`, in the section of its
// statement when it belongs to one; every statement has a section with an
// example; every ```nn block is a spec that parses and checks; every
// ```nn-error block is refused with exactly the ```text block after it; and
// the `nngen check` output quoted is the command's golden output.

const languageDoc = "../docs/language.md"

// doc is docs/language.md taken apart.
type doc struct {
	code     map[string]bool // words of inline `code` spans, outside fences
	sections map[string]*docSection
	blocks   []docBlock // fenced blocks, in order
}

// docSection is the text under a heading "## `word`" (any level), up to the
// next heading of the same or a higher level.
type docSection struct {
	code   map[string]bool
	blocks []docBlock
}

type docBlock struct {
	lang string // the info string: "nn", "nn-error", "text", ...
	line int    // of the opening fence, 1-based
	text string
}

var (
	codeSpan   = regexp.MustCompile("`([^`]+)`")
	codeWord   = regexp.MustCompile(`[A-Za-z0-9_.]+`)
	headingRe  = regexp.MustCompile("^(#+) +(.*)$")
	headingKey = regexp.MustCompile("^`([a-z0-9]+)`")
)

// parseDoc splits a Markdown document into code words, sections and blocks.
func parseDoc(src string) *doc {
	d := &doc{code: map[string]bool{}, sections: map[string]*docSection{}}
	type open struct {
		level int
		sec   *docSection
	}
	var stack []open
	var fence *docBlock
	for i, line := range strings.Split(src, "\n") {
		if fence != nil {
			if strings.HasPrefix(line, "```") {
				d.blocks = append(d.blocks, *fence)
				for _, o := range stack {
					o.sec.blocks = append(o.sec.blocks, *fence)
				}
				fence = nil
				continue
			}
			fence.text += line + "\n"
			continue
		}
		if lang, ok := strings.CutPrefix(line, "```"); ok {
			fence = &docBlock{lang: strings.TrimSpace(lang), line: i + 1}
			continue
		}
		if m := headingRe.FindStringSubmatch(line); m != nil {
			level := len(m[1])
			for len(stack) > 0 && stack[len(stack)-1].level >= level {
				stack = stack[:len(stack)-1]
			}
			if k := headingKey.FindStringSubmatch(m[2]); k != nil {
				sec := &docSection{code: map[string]bool{}}
				d.sections[k[1]] = sec
				stack = append(stack, open{level, sec})
			}
		}
		for _, span := range codeSpan.FindAllStringSubmatch(line, -1) {
			for _, w := range codeWord.FindAllString(span[1], -1) {
				d.code[w] = true
				for _, o := range stack {
					o.sec.code[w] = true
				}
			}
		}
	}
	return d
}

func readDoc(t *testing.T) (string, *doc) {
	t.Helper()
	src, err := os.ReadFile(languageDoc)
	if err != nil {
		t.Fatal(err)
	}
	return string(src), parseDoc(string(src))
}

// undocumented lists what d fails to document of vocabulary(): words
// missing as `code`, statements without a section or without an nn example
// using them, and statement words (options, values) missing from their
// statement's section.
func undocumented(d *doc) []string {
	var missing []string
	for _, set := range vocabulary() {
		for _, w := range set.words {
			if !d.code[w] {
				missing = append(missing, fmt.Sprintf("%s %q: not in docs/language.md as `code`", set.what, w))
			}
			if set.stmt == "" {
				missing = append(missing, statementDocumented(d, w)...)
				continue
			}
			if sec := d.sections[set.stmt]; sec != nil && !sec.code[w] {
				missing = append(missing, fmt.Sprintf("%s %q of %s: not as `code` in the section of `%s`", set.what, w, set.stmt, set.stmt))
			}
		}
	}
	return missing
}

// statementDocumented checks that statement word has a section holding a
// complete example that uses it.
func statementDocumented(d *doc, word string) []string {
	sec := d.sections[word]
	if sec == nil {
		return []string{fmt.Sprintf("statement %q: no section headed `%s`", word, word)}
	}
	for _, b := range sec.blocks {
		if b.lang != "nn" {
			continue
		}
		for _, line := range strings.Split(b.text, "\n") {
			if f := strings.Fields(strings.ReplaceAll(line, "{", " ")); len(f) > 0 && f[0] == word {
				return nil
			}
		}
	}
	return []string{fmt.Sprintf("statement %q: its section has no ```nn example using it", word)}
}

// TestLanguageDocKeywords fails when a word the checker accepts is missing
// from docs/language.md.
func TestLanguageDocKeywords(t *testing.T) {
	_, d := readDoc(t)
	for _, m := range undocumented(d) {
		t.Error(m)
	}
}

// TestLanguageDocKeywordsDetectsRemoval checks the check itself: removing
// every mention of one word of each kind from the document is noticed.
func TestLanguageDocKeywordsDetectsRemoval(t *testing.T) {
	src, d := readDoc(t)
	if len(undocumented(d)) > 0 {
		t.Skip("the document is incomplete; TestLanguageDocKeywords says where")
	}
	for _, word := range []string{"softplus", "momentum", "valid", "crossentropy", "float64", "stride", "batch"} {
		cut := codeSpan.ReplaceAllStringFunc(src, func(span string) string {
			if codeWordsOf(span)[word] {
				return "`…`"
			}
			return span
		})
		heading := regexp.MustCompile("(?m)^(#+ +)`" + word + "`")
		cut = heading.ReplaceAllString(cut, "$1…")
		if cut == src {
			t.Errorf("%q: not in the document at all", word)
			continue
		}
		if got := undocumented(parseDoc(cut)); len(got) == 0 {
			t.Errorf("removing %q from the document went unnoticed", word)
		}
	}
}

func codeWordsOf(span string) map[string]bool {
	ws := map[string]bool{}
	for _, w := range codeWord.FindAllString(span, -1) {
		ws[w] = true
	}
	return ws
}

// TestLanguageDocExamples checks that every ```nn block of the document is
// a complete spec that parses and checks, and that every ```nn-error block
// is refused with exactly the errors of the ```text block following it.
func TestLanguageDocExamples(t *testing.T) {
	_, d := readDoc(t)
	valid, refused := 0, 0
	for i, b := range d.blocks {
		switch b.lang {
		case "nn":
			valid++
			if _, err := ParseAndCheck("example.nn", []byte(b.text)); err != nil {
				t.Errorf("docs/language.md:%d: the example does not check:\n%v\n%s", b.line, err, b.text)
			}
		case "nn-error":
			refused++
			if i+1 == len(d.blocks) || d.blocks[i+1].lang != "text" {
				t.Errorf("docs/language.md:%d: an nn-error block must be followed by a text block with its errors", b.line)
				continue
			}
			_, err := ParseAndCheck("bad.nn", []byte(b.text))
			want := d.blocks[i+1].text
			if err == nil || err.Error()+"\n" != want {
				t.Errorf("docs/language.md:%d: got errors:\n%v\nthe document says:\n%s", b.line, err, want)
			}
		}
	}
	if valid < len(KindNames) || refused == 0 {
		t.Errorf("found %d nn and %d nn-error examples; want at least one nn per layer and one nn-error", valid, refused)
	}
}

// TestLanguageDocCheckOutput checks that the `nngen check` output the
// document quotes is the command's real output (its golden file), and that
// the spec quoted beside it is R4's, comments aside.
func TestLanguageDocCheckOutput(t *testing.T) {
	src, d := readDoc(t)
	golden, err := os.ReadFile("../cmd/nngen/testdata/check/r4_digits.golden")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(src, "\n"+string(golden)+"```\n") {
		t.Errorf("docs/language.md does not quote r4_digits' nngen check output verbatim:\n%s", golden)
	}
	spec, err := os.ReadFile("../testdata/specs/r4_digits.nn")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range d.blocks {
		if b.lang == "nn" && withoutComments(b.text) == withoutComments(string(spec)) {
			return
		}
	}
	t.Errorf("docs/language.md does not quote testdata/specs/r4_digits.nn:\n%s", spec)
}

// withoutComments drops the comment lines of a spec.
func withoutComments(src string) string {
	var b strings.Builder
	for _, line := range strings.Split(src, "\n") {
		if !strings.HasPrefix(line, "#") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// TestLanguageDocLimits checks that every limit of spec/limits.go has a row
// in the document's table of limits giving its value.
func TestLanguageDocLimits(t *testing.T) {
	values := map[string]int64{"MaxDim": MaxDim, "MaxParams": MaxParams, "MaxActivation": MaxActivation,
		"MaxBatchActivation": MaxBatchActivation, "MaxNesting": MaxNesting, "MaxMemory": MaxMemory,
		"MaxFLOPs": MaxFLOPs, "MaxLayers": MaxLayers, "MaxSpecBytes": MaxSpecBytes}
	f, err := goparser.ParseFile(token.NewFileSet(), "limits.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	src, _ := readDoc(t)
	for _, name := range exportedConsts(f) {
		v, ok := values[name]
		if !ok {
			t.Errorf("limit %s: add it to this test and to docs/language.md", name)
			continue
		}
		row := regexp.MustCompile("(?m)^\\| `" + name + "` \\| ([^|]*)\\|").FindStringSubmatch(src)
		if row == nil || !strings.Contains(row[1], groupDigits(v)) {
			t.Errorf("docs/language.md: no row for `%s` giving %s", name, groupDigits(v))
		}
	}
}

// exportedConsts lists the exported constants a file declares.
func exportedConsts(f *ast.File) []string {
	var names []string
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
			for _, s := range g.Specs {
				for _, n := range s.(*ast.ValueSpec).Names {
					if n.IsExported() {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	return names
}

// groupDigits writes n with thousands separators: 1048576 → "1,048,576".
func groupDigits(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
