package ir

import (
	"fmt"
	"strings"

	"github.com/nngen/nngen/spec"
)

// String prints p, the contract between the front end and the printers:
// the buffers, then each schedule one op a line, then the kernel plan.
// Layers are named by ID and echo their spec statement; no positions, so
// that moving a statement in the spec changes no line here.
func (p *Program) String() string {
	var b strings.Builder
	m := p.Model
	mode := "train"
	if !p.Training() {
		mode = "infer"
	}
	fmt.Fprintf(&b, "program %s: %s, batch %d, input %s, output %s, %s\n", m.Name, m.DType, m.Batch, m.Input, m.Output, mode)
	if p.Training() {
		fmt.Fprintf(&b, "  loss %s; %s\n", m.Loss, m.Optimizer.Statement())
	}
	b.WriteString("\nbuffers:\n")
	fwd := p.ForwardBuffers()
	row := func(name, kind string, size int, note string) {
		fmt.Fprintf(&b, "  %-20s %-7s %9d  %s\n", name, kind, size, note)
	}
	row(p.Input.Name, "input", p.Input.Size, "the batch, flattened")
	for _, par := range p.Params {
		row(par.Name, "param", par.Size, fmt.Sprintf("%s %s of %s", par.Param.Role.Suffix(), par.Param.Shape, par.Param.Layer.ID))
	}
	for _, w := range p.Work {
		where := "training"
		if fwd[w] {
			where = "forward"
		}
		row(w.Name, "work", w.Size, where)
	}
	for _, d := range p.Dropped {
		row(d.Name, "dropped", d.Size, "left unused by Fuse, never allocated")
	}
	sched := func(title string, fs []*Func) {
		if len(fs) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s:\n", title)
		for _, f := range fs {
			p.printFunc(&b, f)
		}
	}
	sched(fmt.Sprintf("forward (batch %d)", p.Batch), p.Forward)
	sched("forward1 (one example)", p.Forward1)
	if p.Training() {
		sched("loss", []*Func{p.LossFwd, p.LossBwd})
		sched("backward", p.Backward)
	}
	p.printPlan(&b)
	return b.String()
}

func (p *Program) printFunc(b *strings.Builder, f *Func) {
	src := "loss " + p.Model.Loss.String()
	if f.Layer != nil {
		src = f.Layer.Statement()
	}
	if f.Fused != nil {
		src += "; fused " + f.Fused.ID + " (" + f.Fused.Statement() + ")"
	}
	fmt.Fprintf(b, "  %s: %s\n", f.Name, src)
	if u := p.Units; u != nil && (f == u.Forward || f == u.Backward) {
		fmt.Fprintf(b, "    by units: %d blocks of %d, block 0 shown (%s)\n", u.Blocks, u.Size, p.unitBufs(f))
	}
	for _, blk := range f.Blocks {
		indent := "    "
		if blk.Batch > 0 {
			fmt.Fprintf(b, "    for b in 0..%d:\n", blk.Batch)
			indent = "      "
		}
		for _, op := range blk.Ops {
			line := p.opString(op)
			if p.Plan != nil {
				for _, k := range p.opRowKernels(f, blk, op) {
					k, _ = p.Plan.ElemOf(k)
					line += "  [" + k.Name() + " asm]"
				}
			}
			fmt.Fprintf(b, "%s%s\n", indent, line)
		}
	}
}

// opString is "kind writes = reads  payload".
func (p *Program) opString(op *Op) string {
	views := func(vs []View) string {
		var s []string
		for _, v := range vs {
			switch u := p.Units; {
			case v.Buf == nil:
			case u != nil && (v.Buf == u.A || v.Buf == u.DA) && u.owns(op):
				s = append(s, fmt.Sprintf("%s[columns 0:%d of each row of %d]", v.Buf.Name, u.Size, u.Units))
			default:
				s = append(s, viewString(v))
			}
		}
		return strings.Join(s, ", ")
	}
	line := fmt.Sprintf("%-10s %s", op.Kind, views(op.Writes))
	if r := views(op.Reads); r != "" {
		line += " ← " + r
	}
	var attrs []string
	switch op.Kind {
	case OpMatmul:
		impl := "go"
		if p.Plan != nil && !p.Plan.StraightLine(op.Matmul) {
			impl = "asm"
		}
		attrs = append(attrs, op.Matmul.Name(), impl)
		if op.Matmul.Batched {
			attrs = append(attrs, "rows")
		}
	case OpAct, OpActGrad, OpBiasRelu:
		attrs = append(attrs, op.Act.String())
	case OpIm2col, OpCol2im, OpPad:
		attrs = append(attrs, op.Conv.String())
		if op.Borders {
			attrs = append(attrs, "borders")
		}
	case OpPool, OpPoolGrad:
		attrs = append(attrs, op.Pool.String())
	case OpLayerNorm:
		attrs = append(attrs, fmt.Sprintf("eps=%g", op.Eps))
	case OpLoss, OpLossGrad:
		attrs = append(attrs, op.Loss.String())
	}
	if len(op.Dims) > 0 {
		attrs = append(attrs, fmt.Sprintf("dims=%v", op.Dims))
	}
	if len(attrs) > 0 {
		line += "  [" + strings.Join(attrs, " ") + "]"
	}
	return line
}

// viewString is name, name[off:end] or name[b·len+off:…] for a window.
func viewString(v View) string {
	name := v.Buf.Name
	if v.Buf.Kind == Grad {
		name = "Grad." + name
	}
	switch {
	case v.PerExample:
		return fmt.Sprintf("%s[b·%d+%d:+%d]", name, v.Len, v.Off, v.Len)
	case v.Off == 0 && v.Len == v.Buf.Size:
		return name
	}
	return fmt.Sprintf("%s[%d:%d]", name, v.Off, v.Off+v.Len)
}

func (a Activation) String() string {
	switch a.Kind {
	case spec.LeakyReLU:
		return fmt.Sprintf("%s gamma=%g", a.Kind, a.Gamma)
	case spec.Softplus:
		return fmt.Sprintf("%s beta=%g", a.Kind, a.Beta)
	}
	return a.Kind.String()
}

func (c *Conv) String() string {
	return fmt.Sprintf("C=%d K=%d stride=%d pad=%d in=%v out=%v cols=%dx%d", c.C, c.K, c.Stride, c.Pad, c.In, c.Out, c.Rows(), c.Cols())
}

func (p *Program) printPlan(b *strings.Builder) {
	if p.Plan == nil {
		return
	}
	pl := p.Plan
	if p.Training() {
		how := "over the threads"
		if !pl.SplitStep {
			how = "on the calling goroutine"
		}
		if p.Units != nil {
			how = "by units, not rows"
		}
		fmt.Fprintf(b, "\nthreads: Step runs %s (%d FLOPs a parameter; split by rows from %d)\n", how, StepFlopsPerParam(p.Model), MinSplitStepFlops)
	}
	if u := p.Units; u != nil {
		fmt.Fprintf(b, "threads: %s by units, each thread's blocks of its %d on its core; the rest on the calling goroutine (SplitUnits)\n", u.Forward.Layer.ID, u.Units)
	}
	fmt.Fprintf(b, "\nkernels (unroll-max %d; SIMD rows from %d): name, shape\n", pl.UnrollMax, pl.MinSIMDRow)
	for _, k := range pl.Matmuls {
		impl := "asm   avx512, avx2, generic"
		if !k.Asm {
			impl = "go    straight-line"
		}
		rows := ""
		if k.Batched {
			rows = "  rows [lo, hi) of " + map[bool]string{false: "M", true: "K"}[k.TransA]
		}
		if k.Windowed() {
			rows = fmt.Sprintf("  direct convolution: %d taps over %d padded channels of %d, no im2col (Conv.Direct)", k.Taps, k.Channels(), k.LdB)
		}
		fmt.Fprintf(b, "  %-26s %-26s %s  M=%d N=%d K=%d%s\n", k.Name(), k.Key(), impl, k.M, k.N, k.K, rows)
	}
	if u := pl.Update; u != nil {
		fmt.Fprintf(b, "  %-26s %-26s asm   avx512, avx2, generic  optimizer step over the parameters as one array, chunk by chunk\n", u.Name(), u.Name())
	}
	for _, e := range pl.Elems {
		what := fmt.Sprintf("row operation over %d elements", e.N)
		switch {
		case e.Chans > 0:
			what = fmt.Sprintf("row operation over %d channels of %d elements", e.Chans, e.N)
		case e.Range:
			what = fmt.Sprintf("row operation over a run of rows of %d elements", e.N)
		}
		paths := "avx512, avx2, generic"
		if !e.HasAVX2() {
			paths = "avx512, generic      "
		}
		fmt.Fprintf(b, "  %-26s %-26s asm   %s  %s\n", e.Name(), e.Key(), paths, what)
	}
}

// unitBufs names the slots of a unit function (Units).
func (p *Program) unitBufs(f *Func) string {
	u := p.Units
	if f == u.Backward {
		return fmt.Sprintf("slots of %s; columns of %s; rows of ∂W, ∂b", u.DZ.Name, u.DA.Name)
	}
	return fmt.Sprintf("slots of %s; columns of %s; rows of W, b", u.Z.Name, u.A.Name)
}
