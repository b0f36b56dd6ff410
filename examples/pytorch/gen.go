// Command pytorch runs a network trained in PyTorch from Go: the weights of
// testdata/torch (written by testdata/torch/export.py, state_dict names) are
// checked against the spec and embedded when the package is generated, and
// the package imports nothing outside the standard library.
package main

//go:generate go run ../../cmd/nngen gen -mode infer -weights ../../testdata/torch/torchnet_f32.safetensors -o torchnet ../../testdata/torch/torchnet.nn
