// Package ref is the reference implementation of every nngen network: the
// ground truth that generated packages are verified against.
//
// It is deliberately plain. Everything is float64; shapes are read from the
// checked spec.Model at run time; each module of the notes (chapter 7) is one
// forward function and one backward function, written to read like the
// equations they cite: dense is MM_{W,b}(z) = Wz + b (7.35) with the backward
// functions W^T v (7.63), v z^T (7.65) and v (7.66) as plain loops;
// activations are σ(z) with backward σ'(z) ⊙ v (7.69); the losses' backward
// functions are (7.70) and (7.71). LayerNorm and convolution backward are
// derived in comments beside their code.
//
// Layers run one example at a time (the notes' column-vector view); a batch
// is a loop over examples, and J is the mean of the examples' losses (7.2),
// so every per-example loss gradient is scaled by 1/B before the backward
// pass (B1), (B2) runs. Speed does not matter here; being obviously right
// does.
//
// Data layout matches the generated packages: one example is its tensor
// flattened row-major (channel-major for CxL and CxHxW), and parameters are
// flattened row-major in PyTorch layout, in spec.Model.Params order.
package ref
