package ir

import (
	"fmt"

	"github.com/nngen/nngen/spec"
)

// A direct convolution's padded example (OpPad) is, channel by channel,
// a few moves: zeroed runs, copies of the image's rows and single zeros
// where a copy carried across a row's edge. PadSteps lists them; the Pad
// kernel runs them as vector stores, and its Generic twin as Go's clear,
// copy and assignments, in the same order (a later move overwrites an
// earlier one).
//
// The zeroed runs are borders that no other move writes, and no op but
// pads of the same geometry writes a padded buffer (Verify checks it):
// the workspace starts zeroed, so they are zero at every call, and the
// kernels skip them. Writing them every call measured 9% of R4's Step
// (2-D: nine of a channel's 22 stores).

// PadStep is one move within a channel: N elements at Dst of the padded
// channel zeroed, or, Copy, set from the image's channel at Src. Border:
// a zeroed run no other move writes, which the kernels leave as the
// zeroed workspace holds it.
type PadStep struct {
	Copy, Border bool
	Dst, Src, N  int
}

// MaxPadSteps is the most moves per channel that the Pad kernel runs
// straight-line: a taller image's single zeros (one per row and edge
// column) are left to gen's loops over the rows.
const MaxPadSteps = 64

// PadBlock is the elements of one padded channel: L + 2p (1-D) or
// chanBlock(), K copies of shift() rounded up (2-D).
func (c *Conv) PadBlock() int { return c.Padded() / c.C }

// ImageSize is the elements of one channel of the input.
func (c *Conv) ImageSize() int { return product(c.In) }

// PadSteps are the moves that lay out one channel of c's padded example.
//
// 1-D: the image at p, p zeros either side.
//
// 2-D, for kernel column kw: the copy xp[kw·S:][:S] (S = shift()) holds
// the image's rows at p + p·W, shifted by d = kw − p so that tap (kh, kw)
// reads row kh·W of it, and zeros around them; columns that tap kw would
// read across a row's edge, |d| of them, are zero. That is the zeros
// before, one copy of the image's H·W − |d| elements from max(d, 0) on,
// the zeros after, then a zero at those columns of each row the copy
// carried across an edge. Zeros end the channel where it is rounded up
// past its K copies (chanBlock).
func (c *Conv) PadSteps() []PadStep {
	if len(c.In) == 1 {
		l, p := c.In[0], c.Pad
		steps := []PadStep{{Copy: true, Dst: p, N: l}}
		if p > 0 {
			steps = append(steps, PadStep{Border: true, Dst: 0, N: p}, PadStep{Border: true, Dst: p + l, N: p})
		}
		return steps
	}
	h, w, p, s := c.In[0], c.In[1], c.Pad, c.shift()
	var steps []PadStep
	for kw := 0; kw < c.K; kw++ {
		base := kw * s
		at, d := base+p+p*w, kw-p
		lo, hi := max(d, 0), w+min(d, 0)
		if hi <= lo {
			steps = append(steps, PadStep{Border: true, Dst: base, N: s})
			continue
		}
		cp := PadStep{Copy: true, Dst: at + lo, Src: lo, N: h*w - (w - (hi - lo))}
		for _, st := range []PadStep{{Border: true, Dst: base, N: cp.Dst - base}, cp, {Border: true, Dst: cp.Dst + cp.N, N: base + s - cp.Dst - cp.N}} {
			if st.N > 0 { // none before or after a 1×1 kernel's copy
				steps = append(steps, st)
			}
		}
		first, last, cols := 1, h, [2]int{0, lo} // d > 0: columns [0, d) of rows 1..h−1
		if d < 0 {
			first, last, cols = 0, h-1, [2]int{hi, w} // columns [w+d, w) of rows 0..h−2
		}
		for r := first; r < last; r++ {
			for col := cols[0]; col < cols[1]; col++ {
				steps = append(steps, PadStep{Dst: at + r*w + col, N: 1})
			}
		}
	}
	if end := c.K * s; end < c.chanBlock() { // the channel rounded up: no tap reads it
		steps = append(steps, PadStep{Border: true, Dst: end, N: c.chanBlock() - end})
	}
	return steps
}

// padKernel is the Pad kernel of op (OpPad), if its moves are few enough.
func padKernel(op *Op, dt spec.DType) []Elementwise {
	c := op.Conv
	if len(c.PadSteps()) > MaxPadSteps {
		return nil
	}
	g := *c
	return []Elementwise{{Op: Pad, DType: dt, N: c.PadBlock(), Chans: c.C, Pad: &g, Borders: op.Borders}}
}

// padKey is the geometry part of a Pad kernel's name: l64p2, or h8w8k3p1.
func (c *Conv) padKey() string {
	if len(c.In) == 1 {
		return fmt.Sprintf("l%dp%d", c.In[0], c.Pad)
	}
	return fmt.Sprintf("h%dw%dk%dp%d", c.In[0], c.In[1], c.K, c.Pad)
}

// padLoop is the Pad kernel's Go: Generic's body and the assembly's doc.
func (e Elementwise) padLoop() []string {
	c, n, in := e.Pad, e.N, e.Pad.ImageSize()
	l := []string{fmt.Sprintf("\tfor c := range %d {", e.Chans),
		fmt.Sprintf("\t\td, s := dst[c*%d:][:%d], src[c*%d:][:%d]", n, n, in, in)}
	for _, st := range c.PadSteps() {
		switch {
		case st.Border && !e.Borders:
			l = append(l, fmt.Sprintf("\t\t// d[%d:%d] stays zero", st.Dst, st.Dst+st.N))
		case st.Copy:
			l = append(l, fmt.Sprintf("\t\tcopy(d[%d:%d], s[%d:%d])", st.Dst, st.Dst+st.N, st.Src, st.Src+st.N))
		case st.N == 1:
			l = append(l, fmt.Sprintf("\t\td[%d] = 0", st.Dst))
		default:
			l = append(l, fmt.Sprintf("\t\tclear(d[%d:%d])", st.Dst, st.Dst+st.N))
		}
	}
	return append(l, "\t}")
}
