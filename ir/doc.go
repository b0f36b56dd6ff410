// Package ir lowers a checked spec.Model to a program with fixed shapes and
// explicit buffers: the batched forward schedule, a batch-1 forward schedule,
// the loss, the backward schedule (the reverse sweep of Algorithm 3, with
// each layer's parameter gradients computed as soon as its output gradient
// is known, §7.4.2), the parameter list and the workspace.
//
// Every matrix product and convolution is an OpMatmul carrying an ir.Matmul,
// so that package gen emits one kernel per distinct shape. Everything else
// (bias, activations, layernorm, im2col/col2im, a direct convolution's
// padding, losses) is element-wise.
//
// Verify checks the invariants the emitter relies on: views inside their
// buffers, matmul operands of the right lengths, every buffer written before
// it is read.
package ir
