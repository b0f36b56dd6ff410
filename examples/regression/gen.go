// Command regression trains the network of model.nn on the diabetes data
// set (a regression: ten measurements of a patient, the progression of the
// disease a year later) and compares its test error with ordinary least
// squares on the same split.
package main

//go:generate go run ../../cmd/nngen gen -o diabetesnet model.nn
