package spec

import (
	"strings"
	"testing"
)

// TestParseLayout checks words, options, comments, blocks and positions.
func TestParseLayout(t *testing.T) {
	src := "model m # name\n\n\tinput 4\nresidual{\n  dense 3 bias=false\n}\n"
	f, err := Parse("x.nn", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Stmts) != 3 {
		t.Fatalf("got %d statements, want 3", len(f.Stmts))
	}
	model, input, res := f.Stmts[0], f.Stmts[1], f.Stmts[2]
	if model.Name() != "model" || len(model.Args) != 1 || model.Args[0].Text != "m" {
		t.Errorf("model statement = %+v", model)
	}
	if input.Pos() != (Pos{"x.nn", 3, 2}) || input.Args[0].Pos != (Pos{"x.nn", 3, 8}) {
		t.Errorf("input at %v, arg at %v; want x.nn:3:2 and x.nn:3:8", input.Pos(), input.Args[0].Pos)
	}
	if !res.Block || res.Open != (Pos{"x.nn", 4, 9}) || len(res.Body) != 1 {
		t.Fatalf("residual = %+v", res)
	}
	o := res.Body[0].Option("bias")
	if o == nil || o.Value.Text != "false" || o.Key.Pos.Col != 11 || o.Value.Pos.Col != 16 {
		t.Errorf("bias option = %+v, want key at col 11, value at col 16", o)
	}
	if f.End != (Pos{"x.nn", 7, 1}) {
		t.Errorf("end = %v, want x.nn:7:1", f.End)
	}
}

// TestParseNested checks that blocks nest and close in order.
func TestParseNested(t *testing.T) {
	src := "residual {\nresidual {\nrelu\n}\ntanh\n}\ngelu\n"
	f, err := Parse("n.nn", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Stmts) != 2 || len(f.Stmts[0].Body) != 2 || len(f.Stmts[0].Body[0].Body) != 1 {
		t.Fatalf("wrong nesting: %d top, body %d", len(f.Stmts), len(f.Stmts[0].Body))
	}
	if f.Stmts[0].Body[1].Name() != "tanh" || f.Stmts[1].Name() != "gelu" {
		t.Errorf("statements after inner block misplaced")
	}
}

// TestParseErrors checks layout errors and that several are reported at once.
func TestParseErrors(t *testing.T) {
	src := "residual {\n}\n}\nx=1\ndense a= {\n"
	_, err := Parse("e.nn", []byte(src))
	want := []string{
		`e.nn:3:1: stray "}" with no open block`,
		`e.nn:4:1: expected a statement, got option "x=1"`,
		`e.nn:5:7: malformed option "a="; want key=value`,
		`e.nn:5:10: unclosed block: "dense" opened here has no closing "}"`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("got:\n%v\nwant:\n%s", err, strings.Join(want, "\n"))
	}
}

// TestParseWindowsLineEndings checks that "\r\n" files parse like "\n" files.
func TestParseWindowsLineEndings(t *testing.T) {
	src := "model m\r\ninput 4\r\ndense 2\r\nloss mse\r\noptimizer sgd lr=0.5\r\n"
	m, err := ParseAndCheck("w.nn", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "m" || m.Optimizer.LR != 0.5 {
		t.Errorf("got name %q lr %v", m.Name, m.Optimizer.LR)
	}
}

// TestParseNestingLimit checks that absurdly deep blocks are refused once,
// not recursed into.
func TestParseNestingLimit(t *testing.T) {
	src := strings.Repeat("residual {\n", 50000) + "relu\n" + strings.Repeat("}\n", 50000)
	_, err := Parse("d.nn", []byte(src))
	want := `d.nn:65:10: blocks nested more than 64 deep`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	ok := strings.Repeat("residual {\n", 64) + "relu\n" + strings.Repeat("}\n", 64)
	if _, err := Parse("d.nn", []byte(ok)); err != nil {
		t.Errorf("64 levels: %v", err)
	}
}
