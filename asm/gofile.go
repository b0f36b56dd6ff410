package asm

import (
	"bytes"
	"fmt"
	"go/format"
	"strings"
	"text/template"

	avoir "github.com/mmcloughlin/avo/ir"

	"github.com/nngen/nngen/internal/header"
	"github.com/nngen/nngen/ir"
)

// goKernel is one dispatcher's data for the Go templates.
type goKernel struct {
	Name, Params, Args string
	Asm                bool
	Batched            bool // takes a row range; an empty one runs Generic
	Rows               bool // has NAMEAVX512Rows (HasRowsVariant)
	NoAVX2             bool // has no AVX2 function: Generic runs on that path (ir.Elementwise.HasAVX2)
	// RowsCheck: a kernel over a run of rows (slices) checks that they
	// hold the rows the assembly reads; the statement, indented once.
	RowsCheck string
}

type goFile struct {
	Header, Pkg string
	Kernels     []goKernel
	Stubs       []string // doc comment, pragmas and declaration of each assembly function
}

func goKernels(ks []ir.Matmul, us []ir.Update, es []ir.Elementwise) []goKernel {
	var gs []goKernel
	for _, m := range ks {
		g := goKernel{Name: m.Name(), Params: strings.TrimPrefix(signature(m), "func"), Args: "c, a, b", Asm: HasAsm(m), Rows: HasRowsVariant(m)}
		if m.Batched { // every variant takes the row range (rows.go)
			g.Args, g.Batched = "c, a, b, lo, hi", true
		}
		gs = append(gs, g)
	}
	for _, u := range us {
		params := strings.TrimPrefix(u.Signature(), "func")
		gs = append(gs, goKernel{Name: u.Name(), Params: params, Args: u.Args(), Asm: true})
	}
	for _, e := range es {
		params := strings.TrimPrefix(e.Signature(), "func")
		g := goKernel{Name: e.Name(), Params: params, Args: e.Args(), Asm: true}
		g.RowsCheck = rowsCheck(e)
		g.NoAVX2 = !e.HasAVX2()
		gs = append(gs, g)
	}
	return gs
}

// rowsCheck is the dispatcher's check of a kernel over a run of rows, one
// per element of its last slice, that the other slices hold them: the
// assembly trusts it.
func rowsCheck(e ir.Elementwise) string {
	var per, others, short string
	switch e.Op {
	case ir.LNForward:
		per, others, short = "sigma", "len(z) < n || len(xhat) < n || len(out) < n", "z, xhat or out"
	case ir.LNBackward:
		per, others, short = "sigma", "len(dz) < n || len(dy) < n || len(xhat) < n", "dz, dy or xhat"
	case ir.Softmax:
		per, others, short = "sum", "len(exps) < n || len(t) < n || len(mx) < len(sum)", "exps, t or mx"
	default:
		if c := e.RangeCheck(); c != "" {
			return fmt.Sprintf("\tif %s { // on every path: the assembly reads the rows of %s\n\t\tpanic(\"%s: %s not whole rows, or fewer in another slice\")\n\t}",
				c, e.PtrParams()[0], e.Name(), e.PtrParams()[0])
		}
		return ""
	}
	return fmt.Sprintf("\tif n := len(%s) * %d; %s { // on every path: the assembly reads len(%s) rows\n\t\tpanic(\"%s: fewer rows in %s than in %s\")\n\t}",
		per, e.N, others, per, e.Name(), short, per)
}

// stubs prints the Go declarations of f's assembly functions from avo's own
// signatures, so the .s file and the stubs cannot drift.
func stubs(f *avoir.File) []string {
	var ss []string
	for _, fn := range f.Functions() {
		if strings.HasSuffix(fn.Name, "<>") {
			continue // a micro-kernel: static, called from assembly only
		}
		var b strings.Builder
		for _, l := range fn.Doc {
			fmt.Fprintf(&b, "// %s\n", l)
		}
		for _, p := range fn.Pragmas {
			fmt.Fprintf(&b, "//go:%s\n", strings.Join(append([]string{p.Directive}, p.Arguments...), " "))
		}
		b.WriteString(fn.Stub())
		ss = append(ss, b.String())
	}
	return ss
}

func amd64Source(pkg string, ks []ir.Matmul, us []ir.Update, es []ir.Elementwise, f *avoir.File) ([]byte, error) {
	return render(amd64Template, goFile{Pkg: pkg, Kernels: goKernels(ks, us, es), Stubs: stubs(f)})
}

func noasmSource(pkg string, ks []ir.Matmul, us []ir.Update, es []ir.Elementwise) ([]byte, error) {
	return render(noasmTemplate, goFile{Pkg: pkg, Kernels: goKernels(ks, us, es)})
}

// render executes t and gofmts the result; a format error is a generator bug
// caught at generation time.
func render(t *template.Template, data goFile) ([]byte, error) {
	data.Header = header.Line
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", t.Name(), err)
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format %s: %w", t.Name(), err)
	}
	return src, nil
}
