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

// optimizer reads `optimizer sgd lr=X [momentum=0] [weight_decay=0]
// [nesterov=false]` or `optimizer adam|adamw lr=X [beta1=0.9] [beta2=0.999]
// [eps=1e-8] [weight_decay=0 (adamw: 0.01)]`, PyTorch's names and defaults.
func (c *checker) optimizer(s *Stmt) {
	kind := SGD
	if c.args(s, 1, "optimizer: "+orList(optimizerChoices.words)) {
		if k, ok := c.enum(s, "optimizer", s.Args[0], optimizerChoices); ok {
			kind = OptimizerKind(k)
		}
	}
	c.known(s, optimizerOpts[kind], optimizerOpts[kind])
	c.noBlock(s)
	if s.Option("lr") == nil {
		c.errs.Add(s.Pos(), "optimizer: missing option lr=X (the learning rate)")
	}
	unit := func(x float64) bool { return x >= 0 && x < 1 }
	o := Optimizer{Kind: kind}
	o.LR, _ = c.floatOpt(s, "lr", 0, positive, "a positive number")
	decay := 0.0
	if kind == AdamW {
		decay = 0.01 // torch.optim.AdamW's default
	}
	o.WeightDecay, _ = c.floatOpt(s, "weight_decay", decay, func(x float64) bool { return x >= 0 }, "a number ≥ 0")
	if kind == SGD {
		o.Momentum, _ = c.floatOpt(s, "momentum", 0, unit, "a number in [0, 1)")
		o.Nesterov = c.boolOpt(s, "nesterov", false)
		if o.Nesterov && o.Momentum == 0 {
			c.errs.Add(s.Option("nesterov").Value.Pos, "optimizer: nesterov=true needs momentum > 0")
		}
	} else {
		o.Beta1, _ = c.floatOpt(s, "beta1", 0.9, unit, "a number in [0, 1)")
		o.Beta2, _ = c.floatOpt(s, "beta2", 0.999, unit, "a number in [0, 1)")
		o.Eps, _ = c.floatOpt(s, "eps", 1e-8, positive, "a positive number")
	}
	c.m.Optimizer = o
}
