// Package templates holds the text templates of files that nngen writes next
// to a generated package but that are easier to read as Go than as jennifer
// calls: the test a generated package carries.
package templates

import (
	"bytes"
	"embed"
	"go/format"
	"text/template"

	"github.com/nngen/nngen/internal/header"
)

//go:embed *.tmpl
var files embed.FS

// header is the generated-file marker, the first line of every template.
var all = template.Must(template.New("").Funcs(template.FuncMap{"header": func() string { return header.Line }}).ParseFS(files, "*.tmpl"))

// Render executes the named template with data and gofmts the result, so a
// template bug fails at generation time rather than in the user's build.
func Render(name string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := all.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, err
	}
	return format.Source(buf.Bytes())
}
