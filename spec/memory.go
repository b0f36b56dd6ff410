package spec

// Memory is what the generated package's Model holds in fixed arrays, in
// elements of the model's dtype. It is computed here, from the checked
// model, so that the checker can refuse a spec whose Model would not fit;
// package ir sizes its buffers with the same rules and its verifier checks
// that the two agree, so they cannot drift apart.
type Memory struct {
	// Params: the parameters, and in training their gradient (Grad) and
	// the optimizer state (Optimizer.State copies).
	Params int64
	// Work: the workspace. The batch input, every layer's batch output
	// (flatten has none: it is its input), layernorm's x̂ and σ̂, every
	// convolution's im2col columns; in training also the gradient of every
	// layer's output (a residual body's last layer shares its residual's),
	// the columns' gradient (not for a convolution reading the network
	// input, whose gradient nobody needs), a direct convolution's batch
	// padded for its weight gradient, the loss, and crossentropy's
	// log-sum-exp per example.
	Work int64
}

// Elems is the total number of elements.
func (u Memory) Elems() int64 { return satAdd(u.Params, u.Work) }

// Memory returns the size of the generated Model for a training package
// (train) or an inference package (-mode infer).
func (m *Model) Memory(train bool) Memory {
	var u Memory
	m.memoryWalk(train, func(_ *Layer, d Memory) {
		u.Params, u.Work = satAdd(u.Params, d.Params), satAdd(u.Work, d.Work)
	})
	return u
}

// Im2colSize is the number of elements of a convolution's im2col matrix,
// C·K(·K) rows by Lout(·Wout) columns: one example's columns, refilled for
// each example of the batch.
func (l *Layer) Im2colSize() int64 {
	rows := int64(l.In[0])
	for range l.In[1:] {
		rows = satMul(rows, int64(l.Kernel))
	}
	return satMul(rows, satSize(l.Out[1:]))
}

// memoryWalk calls fn with what each layer adds to the Model, in spec order
// (a residual before its body); the batch input is counted with the first
// layer, the loss's buffers with the last top-level one.
func (m *Model) memoryWalk(train bool, fn func(*Layer, Memory)) {
	w := memoryWalker{m: m, train: train, fn: fn}
	w.input = satMul(int64(m.Batch), satSize(m.Input))
	if train {
		w.loss = 1
		if m.Loss == CrossEntropy {
			w.loss += int64(m.Batch)
		}
	}
	w.seq(m.Layers, true, 0)
}

type memoryWalker struct {
	m           *Model
	train       bool
	fn          func(*Layer, Memory)
	input, loss int64 // not yet counted
}

// seq walks a sequence of layers whose input is the network's input
// (fromInput) or not; depth is the residual nesting.
func (w *memoryWalker) seq(ls []*Layer, fromInput bool, depth int) {
	for i, l := range ls {
		d := w.layer(l, fromInput, depth > 0 && i == len(ls)-1)
		d.Work = satAdd(d.Work, w.input)
		w.input = 0
		if depth == 0 && i == len(ls)-1 {
			d.Work = satAdd(d.Work, w.loss)
		}
		w.fn(l, d)
		if l.Kind == Residual {
			w.seq(l.Body, fromInput, depth+1)
		}
		if l.Kind != Flatten {
			fromInput = false
		}
	}
}

// layer is what l adds itself (a residual's body aside); last says that l
// ends a residual body, whose output gradient is the residual's.
func (w *memoryWalker) layer(l *Layer, fromInput, last bool) Memory {
	var d Memory
	copies := int64(1)
	if w.train {
		copies = int64(2 + w.m.Optimizer.State())
	}
	for _, p := range l.Params {
		d.Params = satAdd(d.Params, satMul(copies, satSize(p.Shape)))
	}
	if l.Kind == Flatten {
		return d
	}
	B, out := int64(w.m.Batch), satSize(l.Out)
	d.Work = satMul(B, out)
	if w.train && !last {
		d.Work = satAdd(d.Work, satMul(B, out))
	}
	switch l.Kind {
	case LayerNorm:
		d.Work = satAdd(d.Work, satAdd(satMul(B, satSize(l.In)), B)) // x̂, σ̂
	case Conv1D, Conv2D:
		cols := l.Im2colSize()
		if w.train && !fromInput {
			cols = satMul(cols, 2)
		}
		d.Work = satAdd(d.Work, cols)
		if pb := satMul(B, l.paddedSize()); w.train && B > 1 && pb <= MaxPaddedBatch && l.directWeightGrad() {
			d.Work = satAdd(d.Work, pb)
		}
	}
	return d
}

// MaxPaddedBatch is the most elements a convolution's batch padded for its
// weight gradient may take (4 MiB in float32, 8 in float64); a bigger one is padded and
// summed one example at a time, in the columns' buffer.
const MaxPaddedBatch = 1 << 20

// directWeightGrad reports whether a convolution's weight gradient is one
// windowed product over the whole batch padded (package ir: Conv.Direct
// and MaxDotTaps): stride 1 and at most 9 taps, and in 2-D pad=same with
// the padded example no bigger than the im2col matrix.
func (l *Layer) directWeightGrad() bool {
	taps := int64(l.Kernel)
	if len(l.In) == 3 {
		taps *= int64(l.Kernel)
	}
	switch {
	case l.Stride != 1 || taps > 9:
		return false
	case len(l.In) == 2:
		return true
	}
	return 2*l.PadAmount() == l.Kernel-1 && l.paddedSize() <= l.Im2colSize()
}

// paddedSize is the elements of one padded example of a stride-1
// convolution (ir.Conv.Padded): C·(L + 2p) in 1-D; in 2-D C channels of K
// copies of the padded rows and p elements either side, copies and
// channel rounded up as PadLayout says.
func (l *Layer) paddedSize() int64 {
	c, k, p := int64(l.In[0]), int64(l.Kernel), int64(l.PadAmount())
	if len(l.In) == 2 {
		return satMul(c, int64(l.In[1])+2*p)
	}
	shift := satAdd(satMul(int64(l.In[1])+2*p, int64(l.In[2])), 2*p)
	if shift >= satLimit/(k*PadLine) { // too big for any Model: keep it saturated
		return satMul(satMul(c, k), shift)
	}
	_, block := PadLayout(int(shift), int(k), int(c), l.Im2colSize())
	return satMul(c, int64(block))
}

// PadLine is the alignment, in elements, of a 2-D direct convolution's
// padded copies and channels: 16 float32 are a 64-byte cache line, and 16
// float64 two.
const PadLine = 16

// PadLayout is a 2-D direct convolution's padded channel (ir.Conv.Window):
// k copies of copyLen elements, one for each kernel column, that must hold
// n each, in a channel of block elements; c channels, whose example must
// fit in the im2col matrix's im2col elements. Tap (kh, kw) reads from
// kw·(copyLen+1) + kh·W on, so a copy of one less than a multiple of
// PadLine, in a channel of a multiple of it, starts on a cache line every
// tap whose kh·W is a multiple of PadLine; where that no longer fits, the
// copies are n and the channel k·n.
func PadLayout(n, k, c int, im2col int64) (copyLen, block int) {
	copyLen = n
	if k > 1 { // a 1×1 kernel reads only its first copy, from 0
		copyLen = (n+PadLine)/PadLine*PadLine - 1
	}
	block = (k*copyLen + PadLine - 1) / PadLine * PadLine
	if int64(c)*int64(block) > im2col {
		return n, k * n
	}
	return copyLen, block
}

// satAdd adds non-negative a and b, saturating at satLimit.
func satAdd(a, b int64) int64 { return min(min(a, satLimit)+min(b, satLimit), satLimit) }
