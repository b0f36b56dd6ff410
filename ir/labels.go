package ir

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nngen/nngen/spec"
)

// Kernel names. A kernel that serves one layer is called by the function
// that first runs it and its form, "dense1ForwardNT" (a product),
// "relu1BackwardReluGradRow" (a row kernel), not by its shape: changing a
// layer's width then changes its kernels' shapes, immediates and tiles but
// renames nothing, and a reviewer's diff shows only those. A kernel that
// several layers share (a residual stack's equal layers) keeps its Key,
// "matmulNT32x64x64f32", which names no layer it would mislead about. The
// shape is in each kernel's doc comment and in nngen ir's kernel table.

// labelKernels names p's kernels in program order and gives every op's
// product its kernel's name.
func labelKernels(p *Program, pl *Plan) {
	type use struct {
		fn    string
		layer *spec.Layer
		multi bool // used by more than one layer
	}
	uses := map[string]*use{}
	var order []string // keys by first use
	see := func(key string, f *Func) {
		if u, ok := uses[key]; !ok {
			uses[key] = &use{fn: f.Name, layer: f.Layer}
			order = append(order, key)
		} else if u.layer != f.Layer {
			u.multi = true
		}
	}
	for _, f := range p.Funcs() {
		for _, b := range f.Blocks {
			for _, op := range b.Ops {
				if op.Kind == OpMatmul {
					see(op.Matmul.Key(), f)
				}
				for _, e := range p.opRowKernels(f, b, op) {
					see(e.Key(), f)
				}
			}
		}
	}
	// Labels go in program order, first use first, so that a second kernel
	// of one form in one function is its "2" whatever the shapes.
	forms := map[string]string{}
	for _, k := range pl.Matmuls {
		forms[k.Key()] = k.Form()
	}
	for _, e := range pl.Elems {
		forms[e.Key()] = upperFirst(elemNames[e.Op])
		if e.Range {
			forms[e.Key()] += "Range"
		}
	}
	taken, labels := map[string]bool{}, map[string]string{}
	for _, key := range order {
		u := uses[key]
		if u.multi {
			continue
		}
		n := u.fn + forms[key]
		for i := 2; taken[n]; i++ {
			n = fmt.Sprintf("%s%s%d", u.fn, forms[key], i)
		}
		taken[n], labels[key] = true, n
	}
	for i, k := range pl.Matmuls {
		pl.Matmuls[i].Label = labels[k.Key()]
	}
	for i, e := range pl.Elems {
		if _, ok := uses[e.Key()]; !ok { // SetThreads' reduction alone
			pl.Elems[i].Label = "reduce" + upperFirst(elemNames[e.Op])
			continue
		}
		pl.Elems[i].Label = labels[e.Key()]
	}
	p.eachOp(func(op *Op) {
		if op.Kind == OpMatmul {
			op.Matmul.Label = labels[op.Matmul.Key()]
		}
	})
	sort.Slice(pl.Matmuls, func(i, j int) bool { return pl.Matmuls[i].Name() < pl.Matmuls[j].Name() })
	sort.Slice(pl.Elems, func(i, j int) bool { return pl.Elems[i].Name() < pl.Elems[j].Name() })
}

func upperFirst(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
