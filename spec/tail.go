package spec

// tail resolves loss and optimizer, and checks the loss against the output.
func (c *checker) tail() {
	if s := c.first["loss"]; s != nil {
		c.loss(s)
	}
	if s := c.first["optimizer"]; s != nil {
		c.optimizer(s)
	}
}

// loss reads the loss and checks that the last layer's output suits it.
func (c *checker) loss(s *Stmt) {
	c.known(s, nil, nil)
	c.noBlock(s)
	if !c.args(s, 1, "loss: "+orList(lossChoices.words)) {
		return
	}
	w := s.Args[0]
	k, ok := c.enum(s, "loss", w, lossChoices)
	if !ok {
		return
	}
	c.m.Loss, c.m.LossPos = LossKind(k), s.Pos()
	out := c.m.Output
	switch {
	case out == nil:
	case c.m.Loss == Logistic && (len(out) != 1 || out[0] != 1):
		c.errs.Add(w.Pos, "loss: logistic needs exactly one output, but the last layer gives %s", out)
	case c.m.Loss == CrossEntropy && (len(out) != 1 || out[0] < 2):
		c.errs.Add(w.Pos, "loss: crossentropy needs a vector of at least 2 logits, but the last layer gives %s", out)
	}
}

// optimizer reads `optimizer sgd lr=X [momentum=0]`.
func (c *checker) optimizer(s *Stmt) {
	c.known(s, optimizerOpts, optimizerOpts)
	c.noBlock(s)
	if c.args(s, 1, "optimizer: "+orList(optimizerChoices.words)) {
		c.enum(s, "optimizer", s.Args[0], optimizerChoices)
	}
	if s.Option("lr") == nil {
		c.errs.Add(s.Pos(), "optimizer: missing option lr=X (the learning rate)")
	}
	c.m.Optimizer.LR, _ = c.floatOpt(s, "lr", 0, positive, "a positive number")
	c.m.Optimizer.Momentum, _ = c.floatOpt(s, "momentum", 0,
		func(x float64) bool { return x >= 0 && x < 1 }, "a number in [0, 1)")
}
