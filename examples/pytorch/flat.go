package main

import (
	"unsafe"

	"github.com/nngen/nngen/examples/pytorch/torchnet"
)

// flatInput views one [C][H][W] example as its InputSize elements
// (row-major, as PyTorch's contiguous tensors).
func flatInput(x *torchnet.Input) *[torchnet.InputSize]float32 {
	return (*[torchnet.InputSize]float32)(unsafe.Pointer(x))
}
