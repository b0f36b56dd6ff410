// Command classify reads handwritten digits from PNG files and prints each
// one's label and probability, with the network that examples/mnist trained
// compiled in: its package is generated inference-only, the trained weights
// embedded, so the binary needs no file beside it.
//
//	go run ./examples/mnist/classify examples/mnist/classify/testdata/*.png
package main

//go:generate go run ../../../cmd/nngen gen -mode infer -weights ../mnist.safetensors -o mnistnet ../model.nn
