// Command mnist trains the network of model.nn on the MNIST handwritten
// digits and reports its accuracy on the 10,000 test images.
package main

//go:generate go run ../../cmd/nngen gen -o mnistnet model.nn
