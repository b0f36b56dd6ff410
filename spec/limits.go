package spec

// Limits that keep generation and the generated package to a sane size: the
// generated code has fixed arrays and unrolled shapes, so a typo like
// "dense 10000000" must fail in the checker, not in the Go compiler. The
// last four bound what nngen gen, the Go compiler and the generated
// package's test need: a spec at any of them generates in well under 30 s
// and 2 GiB and builds in well under 2 minutes and 4 GiB (the resource test
// in cmd/nngen measures the largest spec at each).
const (
	MaxDim             = 1 << 20 // any one dimension: a size, a channel count, a length, a kernel, the batch
	MaxParams          = 1 << 24 // parameters of the whole model
	MaxActivation      = 1 << 24 // elements of one example's tensor between two layers
	MaxBatchActivation = 1 << 24 // the same for the whole batch
	MaxNesting         = 64      // residual blocks inside residual blocks

	MaxMemory    = 1 << 28 // bytes of the generated Model: parameters, optimizer state and workspace (Model.Memory)
	MaxFLOPs     = 1 << 30 // forward and backward FLOPs of one batch (the cost table's): the reference computes them at generation time
	MaxLayers    = 256     // layer statements, those in residual blocks and the residuals themselves included
	MaxSpecBytes = 1 << 20 // bytes of a spec file, refused before it is parsed
)

// satLimit is where the saturating arithmetic below stops; far above every limit.
const satLimit = 1 << 62

// satMul multiplies non-negative a and b, saturating at satLimit.
func satMul(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a > satLimit/b {
		return satLimit
	}
	return a * b
}

// satSize is the number of elements of s, saturating at satLimit.
func satSize(s Shape) int64 {
	n := int64(1)
	for _, d := range s {
		n = satMul(n, int64(d))
	}
	return n
}

// limitShape refuses a tensor between layers that is too large; what names it.
func (c *checker) limitShape(pos Pos, what string, s Shape) bool {
	for _, d := range s {
		if d > MaxDim {
			c.errs.Add(pos, "%s %s has a dimension of %d, over the limit of %d", what, s, d, MaxDim)
			return false
		}
	}
	if n := satSize(s); n > MaxActivation {
		c.errs.Add(pos, "%s %s has %d elements, over the limit of %d per example", what, s, n, MaxActivation)
		return false
	}
	return true
}

// addParams counts a layer's parameters and refuses the layer that takes the
// model past MaxParams (once).
func (c *checker) addParams(l *Layer) {
	before := c.params
	for _, p := range l.Params {
		c.params = min(c.params, satLimit) + min(satSize(p.Shape), satLimit) // ≤ 2^63 − 2
		c.params = min(c.params, satLimit)
	}
	if before <= MaxParams && c.params > MaxParams {
		c.errs.Add(l.Pos, "%s: the model reaches %d parameters here, over the limit of %d", l.Kind, c.params, MaxParams)
	}
}

// limitBatch refuses a batch whose largest tensor between layers is too large.
func (c *checker) limitBatch() {
	s := c.first["batch"]
	if s == nil || len(s.Args) == 0 || c.m.Input == nil {
		return
	}
	largest := c.m.Input
	c.m.Walk(func(l *Layer) {
		if l.Out != nil && l.Out.Size() > largest.Size() {
			largest = l.Out
		}
	})
	if n := int64(c.m.Batch) * int64(largest.Size()); n > MaxBatchActivation {
		c.errs.Add(s.Args[0].Pos, "batch: %d examples of %s make %d elements, over the limit of %d",
			c.m.Batch, largest, n, MaxBatchActivation)
	}
}

// countLayer counts a layer statement and refuses the one that takes the
// model past MaxLayers (once).
func (c *checker) countLayer(l *Layer) {
	c.nlayers++
	if c.nlayers == MaxLayers+1 {
		c.errs.Add(l.Pos, "%s: the model reaches %d layers here, over the limit of %d", l.Kind, c.nlayers, MaxLayers)
	}
}

// limitMemory refuses a model whose generated Model (a training package's,
// the larger) would be over MaxMemory bytes, at the layer that takes it
// there; a convolution whose im2col columns alone are too large says so.
func (c *checker) limitMemory() {
	size := int64(c.m.DType.Size())
	var total int64
	c.m.memoryWalk(true, func(l *Layer, d Memory) {
		if total > MaxMemory {
			return
		}
		total = satAdd(total, satMul(size, d.Elems()))
		switch {
		case total <= MaxMemory:
		case (l.Kind == Conv1D || l.Kind == Conv2D) && satMul(size, l.Im2colSize()) > MaxMemory:
			c.errs.Add(l.Pos, "%s: im2col needs %d bytes of workspace, over the limit of %d for the whole model",
				l.Kind, satMul(size, l.Im2colSize()), MaxMemory)
		default:
			c.errs.Add(l.Pos, "%s: the model's memory reaches %d bytes here (parameters, gradients, optimizer state "+
				"and the batch's workspace), over the limit of %d", l.Kind, total, MaxMemory)
		}
	})
}

// limitFLOPs refuses a model whose forward and backward pass over a batch
// (the cost table's FLOPs) is over MaxFLOPs, at the layer that takes it
// there, or at the loss.
func (c *checker) limitFLOPs() {
	B := int64(c.m.Batch)
	var total int64
	for _, r := range c.m.LayerCosts() {
		cost := r.Cost
		if r.Layer != nil && r.Layer.Kind == Residual {
			cost = r.Layer.ownCost() // its row includes the body, whose rows follow
		}
		before := total
		total = satAdd(total, satMul(B, satAdd(cost.Forward, cost.Backward)))
		if before > MaxFLOPs || total <= MaxFLOPs {
			continue
		}
		pos, what := c.m.LossPos, "loss"
		if r.Layer != nil {
			pos, what = r.Layer.Pos, r.Layer.Kind.String()
		}
		c.errs.Add(pos, "%s: forward and backward reach %d FLOPs per batch here, over the limit of %d", what, total, MaxFLOPs)
	}
}

// tooLong is the error of a spec file over MaxSpecBytes; size < 0 when
// only "more than the limit" is known.
func tooLong(file string, size int64) error {
	var errs ErrorList
	pos := Pos{File: file, Line: 1, Col: 1}
	if size < 0 {
		errs.Add(pos, "the spec is over the limit of %d bytes", MaxSpecBytes)
	} else {
		errs.Add(pos, "the spec is %d bytes, over the limit of %d", size, MaxSpecBytes)
	}
	return errs
}
