package spec

// shape infers the output of a non-residual layer from l.In and adds its
// parameters; it returns nil after reporting a mismatch, or when an option it
// needs was already refused.
func (c *checker) shape(l *Layer, s *Stmt) Shape {
	switch l.Kind {
	case Dense:
		return c.dense(l)
	case LayerNorm:
		return c.layernorm(l)
	case Conv1D, Conv2D:
		return c.conv(l, s)
	case MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D:
		return c.pool(l, s)
	case Flatten:
		if len(l.In) < 2 {
			c.errs.Add(l.Pos, "flatten: input must be CxL or CxHxW, got %s", l.In)
			return nil
		}
		return Shape{l.In.Size()}
	}
	return l.In // activations keep the shape
}

// dense: W [N][in], b [N] (7.35).
func (c *checker) dense(l *Layer) Shape {
	if len(l.In) != 1 {
		c.errs.Add(l.Pos, "dense: input must be a vector, got %s; add flatten before it", l.In)
		return nil
	}
	if l.Units == 0 {
		return nil
	}
	c.param(l, RoleW, Shape{l.Units, l.In[0]})
	if l.Bias {
		c.param(l, RoleB, Shape{l.Units})
	}
	return Shape{l.Units}
}

// layernorm: γ, β scalars, or shaped like the features (7.41).
func (c *checker) layernorm(l *Layer) Shape {
	ps := Shape{}
	if l.Affine == AffineVector {
		ps = append(Shape{}, l.In...)
	}
	c.param(l, RoleGamma, ps)
	c.param(l, RoleBeta, append(Shape{}, ps...))
	return l.In
}

// conv: W [N][C][K] or [N][C][K][K], b [N]; output
// floor((L + 2p − K) / stride) + 1 per spatial dimension.
func (c *checker) conv(l *Layer, s *Stmt) Shape {
	dims := 2
	if l.Kind == Conv2D {
		dims = 3
	}
	if len(l.In) != dims {
		c.errs.Add(l.Pos, "%s: input must be %s, got %s", l.Kind, [...]string{2: "CxL", 3: "CxHxW"}[dims], l.In)
		return nil
	}
	if l.Units == 0 || l.Kernel == 0 || l.Stride == 0 || !c.kernelFits(l, s) {
		return nil
	}
	w := Shape{l.Units, l.In[0]}
	out := Shape{l.Units}
	for _, n := range l.In[1:] {
		w = append(w, l.Kernel)
		out = append(out, (n+2*l.PadAmount()-l.Kernel)/l.Stride+1)
	}
	c.param(l, RoleW, w)
	if l.Bias {
		c.param(l, RoleB, Shape{l.Units})
	}
	return out
}

// kernelFits refuses an even kernel with pad=same and a kernel larger than
// the padded input.
func (c *checker) kernelFits(l *Layer, s *Stmt) bool {
	at := s.Option("kernel").Value.Pos
	if l.Pad == PadSame && l.Kernel%2 == 0 {
		c.errs.Add(at, "%s: kernel=%d is even, but pad=same needs an odd kernel; use pad=valid or an odd kernel", l.Kind, l.Kernel)
		return false
	}
	for _, n := range l.In[1:] {
		if padded := n + 2*l.PadAmount(); l.Kernel > padded {
			c.errs.Add(at, "%s: kernel=%d is larger than its input %s (spatial size %d with padding)", l.Kind, l.Kernel, l.In, padded)
			return false
		}
	}
	return true
}

// param appends a parameter of l.
func (c *checker) param(l *Layer, r Role, s Shape) {
	l.Params = append(l.Params, &Param{Name: l.Prefix + r.Suffix(), Role: r, Shape: s, Layer: l})
}

// residual checks the body of z + f(z) (7.38): not empty, shape kept.
func (c *checker) residual(l *Layer, s *Stmt) {
	if s.Block && len(s.Body) == 0 {
		c.errs.Add(l.Pos, "residual: empty block; it needs at least one layer")
	}
	var out Shape
	l.Body, out = c.block(s.Body, l.In)
	if l.In == nil || out == nil || len(s.Body) == 0 {
		return
	}
	if !out.Equal(l.In) {
		c.errs.Add(l.Pos, "residual: body changes the shape from %s to %s; it must keep it", l.In, out)
		return
	}
	l.Out = l.In
}
