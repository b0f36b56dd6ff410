package ir

import (
	"fmt"
	"strings"
)

// A ranged function (ranges.go) ran each row operation once per example:
// on R3's ForwardBatch, 32 calls a layer of a 64-element bias + relu or
// residual sum, each through the dispatcher, about 3 ns a row for 1 ns of
// work. A range kernel takes the function's rows [lo, hi) in one call:
// its row operands are slices of whole rows, walked row after row in the
// assembly, so each element meets the same operation as before and the
// results are the same bits.

// rangeOps are the row operations with range kernels: every operand a
// row of the batch, but AddRowRelu's bias b, one row for all.
var rangeOps = map[ElemOp]bool{AddRow: true, Add: true, Relu: true, ReluGrad: true, AddRowRelu: true,
	LeakyRelu: true, LeakyReluGrad: true, SigmoidGrad: true, TanhGrad: true}

// RangeFixed reports whether the kernel's parameter p is one row for all
// rows (a layer's parameter), not a slice of rows.
func (e Elementwise) RangeFixed(p string) bool { return e.Op == AddRowRelu && p == "b" }

// RangeRows are a range kernel's slice parameters, in order.
func (e Elementwise) RangeRows() []string {
	var rows []string
	for _, p := range e.PtrParams() {
		if !e.RangeFixed(p) {
			rows = append(rows, p)
		}
	}
	return rows
}

// rangeParams is a range kernel's parameter list without the constant c.
func (e Elementwise) rangeParams() string {
	t := e.DType.String()
	var ps []string
	for _, p := range e.PtrParams() {
		if e.RangeFixed(p) {
			ps = append(ps, fmt.Sprintf("%s *[%d]%s", p, e.N, t))
		} else {
			ps = append(ps, fmt.Sprintf("%s []%s", p, t))
		}
	}
	return strings.Join(ps, ", ")
}

// RangeCheck is the dispatcher's check that the first slice holds a
// whole number of rows and every other slice as many, which the assembly
// reads without looking: the condition under which it panics, or "" for
// a kernel of no range.
func (e Elementwise) RangeCheck() string {
	if !e.Range {
		return ""
	}
	rows := e.RangeRows()
	bad := []string{fmt.Sprintf("len(%s)%%%d != 0", rows[0], e.N)}
	for _, p := range rows[1:] {
		bad = append(bad, fmt.Sprintf("len(%s) < len(%s)", p, rows[0]))
	}
	return strings.Join(bad, " || ")
}

// rangeLoop is a range kernel's Go: the row's loop for every whole row of
// the first slice, each row's slices as arrays (no bounds check an
// element).
func (e Elementwise) rangeLoop() []string {
	rows, n, t := e.RangeRows(), e.N, e.DType.String()
	var next, arrs []string
	for _, p := range rows {
		next = append(next, fmt.Sprintf("%s[%d:]", p, n))
		arrs = append(arrs, fmt.Sprintf("(*[%d]%s)(%s)", n, t, p))
	}
	list := strings.Join(rows, ", ")
	l := []string{
		fmt.Sprintf("\tfor ; len(%s) >= %d; %s = %s {", rows[0], n, list, strings.Join(next, ", ")),
		fmt.Sprintf("\t\t%s := %s", list, strings.Join(arrs, ", ")),
		fmt.Sprintf("\t\tfor i := range %d {", n),
	}
	for _, b := range e.elemBody() {
		l = append(l, "\t"+b)
	}
	return append(l, "\t\t}", "\t}")
}

// RangeViews are op's views in its row kernel's parameter order.
func RangeViews(op *Op) []View {
	if op.Kind == OpBiasRelu {
		return []View{op.Reads[0], op.Reads[1], op.Writes[0]} // z, b, a
	}
	return append([]View{op.Writes[0]}, op.Reads...)
}

// RangeKernel is the range kernel that runs op, an op of a batch, over a
// ranged function's rows in one call, if it has one: a row kernel of
// rangeOps (rowKernels) whose row slices are the batch's buffers, whole,
// and whose fixed row is not.
func (p *Program) RangeKernel(op *Op) (Elementwise, bool) {
	if KeepsBatch(op.Kind) || op.Kind == OpBiasGrad || op.Kind == OpBias {
		return Elementwise{}, false
	}
	ks := rowKernels(p.PerExample(op), p.Model.DType)
	if len(ks) != 1 || !rangeOps[ks[0].Op] || ks[0].Chans > 0 {
		return Elementwise{}, false
	}
	e := ks[0]
	e.Range = true
	params, views := e.PtrParams(), RangeViews(op)
	if len(params) != len(views) {
		return Elementwise{}, false
	}
	for i, v := range views {
		if v.Buf == nil {
			return Elementwise{}, false
		}
		batch := v.Buf.Kind == Work || v.Buf.Kind == Input
		switch {
		case e.RangeFixed(params[i]) && (batch || v != whole(v.Buf) || v.Len != e.N): // a layer's whole row
			return Elementwise{}, false
		case !e.RangeFixed(params[i]) && (!batch || v != whole(v.Buf)): // the batch's whole buffer
			return Elementwise{}, false
		}
	}
	return e, true
}
