package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"

	"github.com/nngen/nngen/examples/pytorch/torchnet"
	"github.com/nngen/nngen/weights"
)

func main() {
	log.SetFlags(0)
	ioFile := flag.String("io", "testdata/torch/torchnet_io.safetensors", "PyTorch's `file` of inputs and outputs")
	flag.Parse()
	rel, err := compare(torchnet.Trained(), *ioFile, os.Stdout)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("largest difference from PyTorch, relative to its largest logit: %.2g\n", rel)
}

// compare runs m on PyTorch's inputs, prints each example's logits next to
// PyTorch's, and returns the largest |Δ| relative to the largest |logit|.
func compare(m *torchnet.Model, path string, w io.Writer) (float64, error) {
	x, want, err := loadIO(path)
	if err != nil {
		return 0, err
	}
	got := make([]torchnet.Output, len(x))
	m.ForwardN(x, got)
	var diff, scale float64
	for i := range got {
		fmt.Fprintf(w, "example %d: nngen %8.5f  PyTorch %8.5f\n", i, got[i], want[i])
		for k := range got[i] {
			diff = math.Max(diff, math.Abs(float64(got[i][k])-float64(want[i][k])))
			scale = math.Max(scale, math.Abs(float64(want[i][k])))
		}
	}
	return diff / scale, nil
}

// loadIO reads the tensors "input" [N][C][H][W] and "output" [N][3] that
// testdata/torch/export.py wrote.
func loadIO(path string) ([]torchnet.Input, []torchnet.Output, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	ts, err := weights.ReadSafetensors(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	in, out := ts["input"], ts["output"]
	n := len(in.Values) / torchnet.InputSize
	if n == 0 || len(in.Values) != n*torchnet.InputSize || len(out.Values) != n*torchnet.OutputSize {
		return nil, nil, fmt.Errorf("%s: want input [N %d] and output [N %d], got %v and %v", path, torchnet.InputSize, torchnet.OutputSize, in.Shape, out.Shape)
	}
	x, y := make([]torchnet.Input, n), make([]torchnet.Output, n)
	for i := range x {
		flat := flatInput(&x[i])
		for j := range flat {
			flat[j] = float32(in.Values[i*torchnet.InputSize+j])
		}
		for k := range y[i] {
			y[i][k] = float32(out.Values[i*torchnet.OutputSize+k])
		}
	}
	return x, y, nil
}
