package main

import (
	"fmt"
	"image"
	"image/color"
	_ "image/png"
	"os"

	"github.com/nngen/nngen/examples/mnist/classify/mnistnet"
)

const side = 28 // MNIST images are 28×28

// readDigit decodes a PNG into the network's input as examples/mnist
// trained it: 28×28 grey levels g scaled to g/255, a light digit on a dark
// background. Other sizes are resampled (area average), and a dark digit on
// a light background is inverted.
func readDigit(path string) (mnistnet.Input, error) {
	var x mnistnet.Input
	f, err := os.Open(path)
	if err != nil {
		return x, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return x, fmt.Errorf("%s: %w", path, err)
	}
	b := img.Bounds()
	if b.Dx() < 1 || b.Dy() < 1 {
		return x, fmt.Errorf("%s: empty image", path)
	}
	mean := 0.0
	for r := 0; r < side; r++ {
		for c := 0; c < side; c++ {
			v := areaMean(img, b, r, c)
			x[r*side+c] = float32(v)
			mean += v
		}
	}
	if mean/(side*side) > 0.5 { // mostly light: a dark digit on paper
		for i := range x {
			x[i] = 1 - x[i]
		}
	}
	return x, nil
}

// areaMean is the mean grey level, in [0, 1], of the source pixels that
// fall in cell (r, c) of a 28×28 grid laid over b.
func areaMean(img image.Image, b image.Rectangle, r, c int) float64 {
	y0, y1 := b.Min.Y+r*b.Dy()/side, b.Min.Y+(r+1)*b.Dy()/side
	x0, x1 := b.Min.X+c*b.Dx()/side, b.Min.X+(c+1)*b.Dx()/side
	y1, x1 = max(y1, y0+1), max(x1, x0+1)
	sum, n := 0.0, 0
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			g := color.GrayModel.Convert(img.At(x, y)).(color.Gray)
			sum += float64(g.Y) / 255
			n++
		}
	}
	return sum / float64(n)
}
