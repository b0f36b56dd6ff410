package spec

// Limits that keep generation and the generated package to a sane size: the
// generated code has fixed arrays and unrolled shapes, so a typo like
// "dense 10000000" must fail in the checker, not in the Go compiler.
const (
	MaxDim             = 1 << 20 // any one dimension: a size, a channel count, a length, a kernel, the batch
	MaxParams          = 1 << 27 // parameters of the whole model
	MaxActivation      = 1 << 24 // elements of one example's tensor between two layers
	MaxBatchActivation = 1 << 28 // the same for the whole batch
	MaxNesting         = 64      // residual blocks inside residual blocks
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
