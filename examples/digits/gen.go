// Command digits trains the network of model.nn on the UCI handwritten
// digits and reports its accuracy on held-out images.
package main

//go:generate go run ../../cmd/nngen gen -o digitnet model.nn
