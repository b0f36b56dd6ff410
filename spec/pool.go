package spec

// Pooling layers (docs/language.md, "maxpool1d" to "avgpool2d"), as
// PyTorch's nn.MaxPool1d/2d and nn.AvgPool1d/2d with kernel_size=K,
// stride=S and no padding: each channel of a CxL or CxHxW input is cut
// into K (K×K) windows, S apart, and each window gives its maximum or its
// mean. Channels are kept; each spatial size n becomes floor((n − K)/S) + 1.

var poolOpts = []string{"kernel", "stride"}

// IsPool reports whether k is a pooling layer.
func (k Kind) IsPool() bool {
	switch k {
	case MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D:
		return true
	}
	return false
}

// IsMaxPool reports whether k pools by the maximum (else by the mean).
func (k Kind) IsMaxPool() bool { return k == MaxPool1D || k == MaxPool2D }

// poolRank is the rank of a pooling layer's input: 2 (CxL) or 3 (CxHxW).
func (k Kind) poolRank() int {
	if k == MaxPool2D || k == AvgPool2D {
		return 3
	}
	return 2
}

// resolvePool reads kernel (required) and stride (default: the kernel).
func (c *checker) resolvePool(l *Layer, s *Stmt) {
	l.Kernel, _ = c.needIntOpt(s, "kernel", "K")
	l.Stride, _ = c.intOpt(s, "stride", l.Kernel)
}

// pool checks the input's rank and that the window fits every spatial
// dimension; the output keeps the channels and has floor((n − K)/S) + 1
// positions per spatial dimension n.
func (c *checker) pool(l *Layer, s *Stmt) Shape {
	if dims := l.Kind.poolRank(); len(l.In) != dims {
		c.errs.Add(l.Pos, "%s: input must be %s, got %s", l.Kind, [...]string{2: "CxL", 3: "CxHxW"}[dims], l.In)
		return nil
	}
	if l.Kernel == 0 || l.Stride == 0 {
		return nil
	}
	out := Shape{l.In[0]}
	for _, n := range l.In[1:] {
		if l.Kernel > n {
			c.errs.Add(s.Option("kernel").Value.Pos, "%s: kernel=%d is larger than its input %s (spatial size %d; pooling pads nothing)", l.Kind, l.Kernel, l.In, n)
			return nil
		}
		out = append(out, (n-l.Kernel)/l.Stride+1)
	}
	return out
}

// poolWindow is the number of input elements one output reads: K or K·K.
func (l *Layer) poolWindow() int64 {
	w := int64(1)
	for range l.In[1:] {
		w *= int64(l.Kernel)
	}
	return w
}

// poolCost counts one FLOP per window element read for each output, a
// comparison (max) or an addition (mean), forward; backward the same
// again: max pooling compares its window anew to find where the maximum
// was, mean pooling adds the spread gradient into each window element.
// The mean's one division per output is left out, as small beside the
// window.
func (l *Layer) poolCost() Cost {
	n := int64(l.Out.Size()) * l.poolWindow()
	return Cost{Forward: n, Backward: n}
}
