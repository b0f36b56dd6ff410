package ir

// shapes checks that the operands of element-wise ops agree in length.
func (v *verifier) shapes(op *Op) {
	eq := func(what string, got, want int) {
		if got != want {
			v.errorf("%s: %s has %d elements, want %d", op.Kind, what, got, want)
		}
	}
	switch op.Kind {
	case OpCopy, OpAddTo, OpAct:
		eq("source", op.Reads[0].Len, op.Writes[0].Len)
	case OpAdd:
		eq("first source", op.Reads[0].Len, op.Writes[0].Len)
		eq("second source", op.Reads[1].Len, op.Writes[0].Len)
	case OpActGrad:
		for i, r := range op.Reads {
			eq([]string{"σ input or output", "∂a"}[i], r.Len, op.Writes[0].Len)
		}
	case OpBias, OpBiasGrad:
		v.bias(op, eq)
	case OpPool, OpPoolGrad:
		v.pool(op, eq)
	case OpPad:
		eq("example", op.Reads[0].Len, op.Conv.C*product(op.Conv.In))
		eq("padded example", op.Writes[0].Len, op.Conv.Padded())
	case OpBiasRelu:
		v.bias(&Op{Kind: OpBias, Dims: op.Dims, Writes: op.Reads[:1], Reads: op.Reads[1:]}, eq)
		eq("activation", op.Writes[0].Len, op.Reads[0].Len)
	case OpLayerNorm:
		rows, f := op.Dims[0], op.Dims[1]
		eq("input", op.Reads[0].Len, rows*f)
		eq("output", op.Writes[0].Len, rows*f)
		eq("x̂", op.Writes[1].Len, rows*f)
		eq("σ̂", op.Writes[2].Len, rows)
		eq("β", op.Reads[2].Len, op.Reads[1].Len)
	case OpLNGrad:
		rows, f := op.Dims[0], op.Dims[1]
		eq("∂out", op.Reads[0].Len, rows*f)
		eq("x̂", op.Reads[1].Len, rows*f)
		eq("∂β", op.Writes[2].Len, op.Writes[1].Len)
		if op.Writes[0].Buf != nil {
			eq("∂z", op.Writes[0].Len, rows*f)
			eq("σ̂", op.Reads[2].Len, rows)
			eq("∂γ", op.Writes[1].Len, op.Reads[3].Len)
		}
	case OpLoss:
		eq("J", op.Writes[0].Len, 1)
		if scale := op.Writes[1]; scale.Buf != nil {
			eq("softmax scale", scale.Len, v.p.Batch)
			eq("exponentials", op.Writes[2].Len, op.Reads[0].Len)
		}
	case OpLossGrad:
		eq("gradient", op.Writes[0].Len, v.p.Output.Size)
		if scale := op.Reads[1]; scale.Buf != nil {
			eq("softmax scale", scale.Len, v.p.Batch)
		} else {
			eq("gradient", op.Writes[0].Len, op.Reads[0].Len)
		}
	}
}

func (v *verifier) bias(op *Op, eq func(string, int, int)) {
	if len(op.Dims) != 3 {
		v.errorf("%s: want 3 dims, got %d", op.Kind, len(op.Dims))
		return
	}
	n := op.Dims[0] * op.Dims[1] * op.Dims[2]
	if op.Kind != OpBiasGrad {
		eq("destination", op.Writes[0].Len, n)
		eq("bias", op.Reads[0].Len, op.Dims[1])
	} else {
		eq("source", op.Reads[0].Len, n)
		eq("bias gradient", op.Writes[0].Len, op.Dims[1])
	}
}
