package spec

import "slices"

// layerSpec is the syntax of one layer statement.
type layerSpec struct {
	size   bool     // takes the positional size N
	opts   []string // options it accepts
	params bool     // has parameters, so accepts name=
}

// layerSpecs is indexed by Kind.
var layerSpecs = [...]layerSpec{
	Dense:     {size: true, opts: []string{"bias", "name"}, params: true}, // Wz + b (7.35)
	ReLU:      {},                                                         // (7.20)
	Sigmoid:   {},                                                         // (7.24)
	Tanh:      {},                                                         // (7.25)
	GELU:      {},                                                         // (7.27)
	LeakyReLU: {opts: []string{"gamma"}},                                  // (7.26)
	Softplus:  {opts: []string{"beta"}},                                   // (7.28)
	LayerNorm: {opts: []string{"affine", "eps", "name"}, params: true},    // (7.41)
	Conv1D:    {size: true, opts: convOpts, params: true},                 // (7.48)–(7.50)
	Conv2D:    {size: true, opts: convOpts, params: true},                 // (7.51)
	Flatten:   {},                                                         // channel-major
	Residual:  {},                                                         // z + f(z) (7.38)
	MaxPool1D: {opts: poolOpts},                                           // max per window (pool.go)
	MaxPool2D: {opts: poolOpts},                                           // max per KxK window
	AvgPool1D: {opts: poolOpts},                                           // mean per window
	AvgPool2D: {opts: poolOpts},                                           // mean per KxK window
}

var convOpts = []string{"kernel", "pad", "stride", "bias", "name"}

// kindOf maps a layer keyword to its Kind.
func kindOf(word string) (Kind, bool) {
	for k, name := range KindNames {
		if name == word {
			return Kind(k), true
		}
	}
	return 0, false
}

// block checks a sequence of layer statements fed with in; a nil in or a
// nil result means the shape is unknown after an earlier error.
func (c *checker) block(stmts []*Stmt, in Shape) ([]*Layer, Shape) {
	var ls []*Layer
	for _, s := range stmts {
		k, ok := kindOf(s.Name())
		if !ok {
			c.notLayer(s)
			in = nil
			continue
		}
		l := c.layer(s, k, in)
		ls = append(ls, l)
		in = l.Out
	}
	return ls, in
}

// notLayer reports a statement inside a residual block that is no layer.
func (c *checker) notLayer(s *Stmt) {
	if sectionOf(s.Name()) == secUnknown {
		c.unknown(s, true)
		return
	}
	c.errs.Add(s.Pos(), "%s: not allowed inside a residual block; only layers are", s.Name())
}

// layer checks one layer statement; Out stays nil when in is unknown or the
// layer is wrong.
func (c *checker) layer(s *Stmt, k Kind, in Shape) *Layer {
	l := &Layer{Kind: k, Pos: s.Pos(), In: in}
	c.countLayer(l)
	c.syntax(s, k)
	c.name(l, s)
	c.resolve(l, s)
	if k == Residual {
		c.residual(l, s)
	} else if in != nil {
		l.Out = c.shape(l, s)
	}
	if l.Out != nil && !c.limitShape(l.Pos, l.Kind.String()+": output", l.Out) {
		l.Out = nil
	}
	c.addParams(l)
	return l
}

// syntax checks the arguments, options and block of a layer statement.
func (c *checker) syntax(s *Stmt, k Kind) {
	spec := layerSpecs[k]
	n := 0
	if spec.size {
		n = 1
	}
	c.args(s, n, "size N")
	if o := s.Option("name"); o != nil && !spec.params {
		c.errs.Add(o.Key.Pos, "%s: name= applies only to layers with parameters", s.Name())
	}
	c.known(s, append(slices.Clip(spec.opts), "name"), spec.opts)
	if k == Residual && !s.Block {
		c.errs.Add(s.Pos(), "residual: missing block; write \"residual {\" and its layers on the lines after")
	} else if k != Residual {
		c.noBlock(s)
	}
}

// resolve reads the options of l into its fields, defaults included.
func (c *checker) resolve(l *Layer, s *Stmt) {
	if layerSpecs[l.Kind].size && len(s.Args) > 0 {
		l.Units, _ = c.posInt(s, "size", s.Args[0])
	}
	switch l.Kind {
	case Dense:
		l.Bias = c.boolOpt(s, "bias", true)
	case LeakyReLU:
		l.Alpha, _ = c.floatOpt(s, "gamma", 0.01, func(x float64) bool { return x > 0 && x < 1 }, "a number in (0, 1)")
	case Softplus:
		l.Beta, _ = c.floatOpt(s, "beta", 1, positive, "a positive number")
	case LayerNorm:
		l.Affine = Affine(c.enumOpt(s, "affine", 0))
		l.Eps, _ = c.floatOpt(s, "eps", 1e-5, positive, "a positive number")
	case Conv1D, Conv2D:
		l.Bias = c.boolOpt(s, "bias", true)
		l.Kernel, _ = c.needIntOpt(s, "kernel", "K")
		l.Stride, _ = c.intOpt(s, "stride", 1)
		l.Pad = Padding(c.enumOpt(s, "pad", 0))
	case MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D:
		c.resolvePool(l, s)
	}
}
