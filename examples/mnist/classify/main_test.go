package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nngen/nngen/data"
	"github.com/nngen/nngen/examples/mnist/classify/mnistnet"
)

var update = flag.Bool("update", false, "rewrite testdata/*.png from the MNIST test set")

// samples is how many test-set images testdata holds: the first ones.
const samples = 10

// TestSamples classifies the checked-in PNGs, the first test-set images
// (named INDEX-LABEL.png), with the embedded trained network.
func TestSamples(t *testing.T) {
	if *update {
		writeSamples(t)
	}
	paths, _ := filepath.Glob("testdata/*.png")
	if len(paths) != samples {
		t.Fatalf("%d sample PNGs, want %d (go test -run TestSamples -update)", len(paths), samples)
	}
	net := mnistnet.Trained()
	for _, path := range paths {
		var index, label int
		if _, err := fmt.Sscanf(filepath.Base(path), "%04d-%d.png", &index, &label); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		x, err := readDigit(path)
		if err != nil {
			t.Fatal(err)
		}
		got, p := classify(net, &x)
		if got != label || p < 0.5 {
			t.Errorf("%s: classified %d (p=%.3f), want %d", path, got, p, label)
		}
		// The same digit drawn dark on white, twice as large, reads the same.
		if got2, _ := classify(net, ptr(transformed(t, path))); got2 != got {
			t.Errorf("%s inverted and enlarged: %d, want %d", path, got2, got)
		}
	}
}

func ptr(x mnistnet.Input) *mnistnet.Input { return &x }

// transformed is the input read from the image at path inverted and scaled ×2.
func transformed(t *testing.T, path string) mnistnet.Input {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	big := image.NewGray(image.Rect(0, 0, 2*side, 2*side))
	for y := 0; y < 2*side; y++ {
		for x := 0; x < 2*side; x++ {
			g := color.GrayModel.Convert(src.At(x/2, y/2)).(color.Gray)
			big.SetGray(x, y, color.Gray{255 - g.Y})
		}
	}
	out := filepath.Join(t.TempDir(), "big.png")
	var buf bytes.Buffer
	png.Encode(&buf, big)
	os.WriteFile(out, buf.Bytes(), 0o644)
	x, err := readDigit(out)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestBadFiles(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.png")
	os.WriteFile(bad, []byte("not a png"), 0o644)
	for _, path := range []string{bad, filepath.Join(dir, "missing.png")} {
		if _, err := readDigit(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v does not name the file", path, err)
		}
	}
}

// writeSamples writes the first test-set images as PNGs (with -update).
func writeSamples(t *testing.T) {
	images, err := data.ReadIDX("../testdata/t10k-images-idx3-ubyte.gz")
	if err != nil {
		t.Fatal(err)
	}
	labels, err := data.ReadIDX("../testdata/t10k-labels-idx1-ubyte.gz")
	if err != nil {
		t.Fatal(err)
	}
	old, _ := filepath.Glob("testdata/*.png")
	for _, p := range old {
		os.Remove(p)
	}
	for i := 0; i < samples; i++ {
		img := image.NewGray(image.Rect(0, 0, side, side))
		for j := range img.Pix {
			img.Pix[j] = uint8(images.Value(i*side*side + j))
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("testdata/%04d-%d.png", i, int(labels.Value(i)))
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
