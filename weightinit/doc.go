// Package weightinit defines the deterministic parameter initialisation that
// the reference implementation and every generated package share, so that
// `Init(seed)` gives bit-identical float64 parameters on both sides (float32
// packages round each value once).
//
// The stream is SplitMix64 seeded with the user's seed, drawn parameter by
// parameter in Params order, element by element in row-major order. A weight
// is (2u − 1)·a with u uniform in [0, 1) from the top 53 bits of a draw:
//
//   - He uniform, a = sqrt(6 / fanIn), when the next layer in the same
//     sequence is relu, leakyrelu, gelu or softplus (the ReLU family, whose
//     variance halves through the activation);
//   - Xavier (Glorot) uniform, a = sqrt(6 / (fanIn + fanOut)), otherwise
//     (sigmoid, tanh, layernorm, another linear layer, the loss).
//
// fanIn is the size of one output unit's receptive field (in·K·K) and fanOut
// is N·K·K, as in PyTorch. Biases and betas are 0 and gammas are 1; they
// draw nothing from the stream.
package weightinit
