package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, "usage: nngen check SPEC\n") }
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	m, err := spec.Load(fs.Arg(0))
	if err == nil {
		err = ir.Check(m) // the back end's limits
	}
	if err != nil {
		printSpecError(stderr, err)
		return exitFail
	}
	printCostTable(stdout, m)
	return exitOK
}

// printCostTable writes one row per layer (nested layers indented), a loss
// row, then the totals. Names are left-aligned, numbers right-aligned.
func printCostTable(w io.Writer, m *spec.Model) {
	type row struct{ name, shape, params, fwd, bwd string }
	rows := []row{{"layer", "output", "params", "forward FLOPs", "backward FLOPs"}}
	for _, r := range m.LayerCosts() {
		name, shape := "loss "+m.Loss.String(), "1"
		if r.Layer != nil {
			name, shape = strings.Repeat("  ", r.Depth)+r.Layer.ID, r.Layer.Out.String()
		}
		rows = append(rows, row{name, shape, group(r.Params), group(r.Forward), group(r.Backward)})
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r.name))
	}
	for _, r := range rows {
		fmt.Fprintf(w, "%-*s  %8s  %12s  %14s  %14s\n", width, r.name, r.shape, r.params, r.fwd, r.bwd)
	}
	t := m.Total()
	fmt.Fprintf(w, "\nmodel %s: input %s, output %s, batch %d, %s\n", m.Name, m.Input, m.Output, m.Batch, m.DType)
	fmt.Fprintf(w, "parameters:         %s (%s bytes)\n", group(t.Params), group(m.ParamBytes()))
	fmt.Fprintf(w, "forward FLOPs:      %s per example, %s per batch\n", group(t.Forward), group(t.Forward*int64(m.Batch)))
	fb := t.Forward + t.Backward
	fmt.Fprintf(w, "forward+backward:   %s per example, %s per batch\n", group(fb), group(fb*int64(m.Batch)))
}

// group formats n with thousands separators: 101770 → "101,770".
func group(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + group(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// runIR is `nngen ir SPEC`: the lowered program the back end prints from.
func runIR(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ir", flag.ContinueOnError)
	fs.SetOutput(stderr)
	mode := fs.String("mode", "train", "`train` or infer")
	unrollMax := fs.Int("unroll-max", ir.DefaultUnrollMax, "as nngen gen's")
	fs.Usage = func() { fmt.Fprint(stderr, "usage: nngen ir [-mode train|infer] [-unroll-max N] SPEC\n") }
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 1 || (*mode != "train" && *mode != "infer") || *unrollMax < 1 {
		fs.Usage()
		return exitUsage
	}
	if code := checkUnroll(stderr, "ir", *unrollMax, 1); code != exitOK {
		return code
	}
	m, err := spec.Load(fs.Arg(0))
	if err != nil {
		printSpecError(stderr, err)
		return exitFail
	}
	p, err := ir.Compile(m, ir.Options{Infer: *mode == "infer", UnrollMax: *unrollMax})
	if err != nil {
		printError(stderr, "nngen ir", err)
		return exitFail
	}
	fmt.Fprint(stdout, p)
	return exitOK
}
