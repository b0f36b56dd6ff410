package gen

import (
	"bytes"
	"fmt"
	"go/format"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/asm"
	"github.com/nngen/nngen/internal/header"
	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
	"github.com/nngen/nngen/testvec"
	"github.com/nngen/nngen/weights"
)

// Header is the first line of every generated file, in the form tools
// recognise (`^// Code generated .* DO NOT EDIT\.$`).
const Header = header.Line

// Options tune the emitted code; the zero value means the defaults.
type Options struct {
	Package   string // package name; default the model name
	UnrollMax int    // loop nests of at most this many iterations are straight-line; default 64
	Unroll    int    // unroll factor of the innermost loop of bigger nests; default 4
	Mode      string // ModeTrain (default) or ModeInfer
	Weights   []byte // trained weights to embed (nngen or safetensors file), or nil
}

// Modes of a generated package.
const (
	ModeTrain = "train" // forward, loss, backward, optimizer, checkpoints
	ModeInfer = "infer" // parameters and the forward pass only
)

// Defaults used for zero Options fields, and the largest values accepted:
// the straight-line code of a nest grows with both.
const (
	DefaultUnrollMax = 64
	DefaultUnroll    = 4
	MaxUnrollMax     = ir.MaxUnrollMax
	MaxUnroll        = 64
)

// FileSuffixes are the endings, after the model name, of every file nngen
// may generate for a model (including the assembly files of package asm),
// so that `nngen gen` can recognise its own stale files.
var FileSuffixes = []string{".go", "_layers.go", "_kernels.go", "_init.go", "_weights.go", "_test.go", "_threads.go",
	"_kernels_amd64.go", "_kernels_amd64.s", "_kernels_noasm.go",
	"_codec.go", "_weights.safetensors",
	"_dispatch.go", "_amd64.go", "_amd64.s", "_noasm.go"} // the last four: names of earlier versions

// Generate emits the package of m: file name → contents.
func Generate(m *spec.Model, opts Options) (map[string][]byte, error) {
	e, err := newEmitter(m, opts)
	if err != nil {
		return nil, err
	}
	files := map[string]*jen.File{
		m.Name + ".go":         e.apiFile(),
		m.Name + "_layers.go":  e.layersFile(),
		m.Name + "_kernels.go": e.kernelsFile(),
		m.Name + "_init.go":    e.initFile(),
	}
	out := map[string][]byte{}
	for _, name := range sortedKeys(files) {
		src, err := render(files[name])
		if err != nil {
			return nil, fmt.Errorf("generating %s: %w", name, err)
		}
		out[name] = src
	}
	// Weights: the table of tensors (a template) and the codec, a copy of
	// package weights' codec.go; trained weights, checked and converted to
	// the canonical safetensors file, embedded.
	embed := ""
	if opts.Weights != nil {
		embed = m.Name + "_weights.safetensors"
		w, err := weights.Canonical(m, opts.Weights)
		if err != nil {
			return nil, &WeightsError{err}
		}
		out[embed] = w
	}
	w, err := e.weightsFile(embed)
	if err != nil {
		return nil, fmt.Errorf("generating %s_weights.go: %w", m.Name, err)
	}
	out[m.Name+"_weights.go"] = w
	out[m.Name+"_codec.go"] = weights.Codec(Header, e.opts.Package)
	threads, err := e.threadsFile()
	if err != nil {
		return nil, fmt.Errorf("generating %s_threads.go: %w", m.Name, err)
	}
	out[m.Name+"_threads.go"] = threads
	if unused := e.unusedElems(); len(unused) > 0 {
		return nil, fmt.Errorf("internal error: ir.SelectKernels chose kernels the code does not call: %v", unused)
	}
	// Kernel dispatch: assembly on amd64, the generic bodies elsewhere.
	kernels, err := asm.Emit(e.opts.Package, m.Name+"_", e.asmKernels(), e.updates(), e.elemKernels())
	if err != nil {
		return nil, fmt.Errorf("generating kernels: %w", err)
	}
	for name, src := range kernels {
		out[name] = src
	}
	// The package's own test carries reference vectors computed now
	// (package testvec), so a user's `go test` checks the compiled network.
	test, err := testvec.Render(m, e.opts.Package, e.p.Kernels(), e.testUpdates(), e.p.Output.Name, e.train(), embed != "", e.p.Units != nil)
	if err != nil {
		return nil, fmt.Errorf("generating %s_test.go: %w", m.Name, err)
	}
	out[m.Name+"_test.go"] = test
	return out, nil
}

// WeightsError is a trained weights file that does not fit the spec.
type WeightsError struct{ Err error }

func (e *WeightsError) Error() string { return e.Err.Error() }
func (e *WeightsError) Unwrap() error { return e.Err }

// render prints and gofmts a file; a file that does not parse is a
// generator bug, reported here rather than by the user's compiler.
func render(f *jen.File) ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return nil, err
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(src, []byte(Header+"\n")) {
		return nil, fmt.Errorf("missing header")
	}
	return src, nil
}

// newFile starts a generated file of the emitter's package.
func (e *emitter) newFile() *jen.File {
	f := jen.NewFile(e.opts.Package)
	f.HeaderComment(strings.TrimPrefix(Header, "// "))
	return f
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// comment emits a doc comment line by line, as // lines (jennifer would
// make a multi-line Comment a /* */ block).
func comment(f *jen.File, text string) {
	for _, line := range strings.Split(text, "\n") {
		f.Comment(line)
	}
}
