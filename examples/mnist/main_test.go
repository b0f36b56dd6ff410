package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/nngen/nngen/data"
	"github.com/nngen/nngen/examples/mnist/mnistnet"
)

// loaded reads the embedded files once for all the tests (about 0.5 s).
var loaded = sync.OnceValues(func() ([2]*set, error) {
	train, test, err := loadMNIST()
	return [2]*set{train, test}, err
})

func mnist(t *testing.T) (train, test *set) {
	t.Helper()
	sets, err := loaded()
	if err != nil {
		t.Fatal(err)
	}
	return sets[0], sets[1]
}

func TestLoadMNIST(t *testing.T) {
	train, test := mnist(t)
	if train.Len() != 60000 || test.Len() != 10000 {
		t.Fatalf("loaded %d training and %d test images, want 60000 and 10000", train.Len(), test.Len())
	}
	var perClass [mnistnet.OutputSize]int
	for _, y := range test.Y {
		perClass[y]++
	}
	for c, n := range perClass {
		if n < 850 || n > 1150 { // 892 to 1135 in the real test set
			t.Errorf("digit %d: %d test images, want about 1000", c, n)
		}
	}
	x := train.X[0] // a 5, the first training image
	lo, hi := x[0], x[0]
	for _, v := range x {
		lo, hi = min(lo, v), max(hi, v)
	}
	if lo != 0 || hi != 1 || train.Y[0] != 5 {
		t.Errorf("first training image: label %d, pixels in [%g, %g]; want 5, [0, 1]", train.Y[0], lo, hi)
	}
}

// TestTrainingLearns runs two epochs (the schedule squeezed into them) and
// checks that the loss falls and that the network classifies the test set
// well: 0.9714 with the default seed when this was written, 0.974–0.976
// over seeds 1–5, 0.9734 on the generic kernels.
func TestTrainingLearns(t *testing.T) {
	train, test := mnist(t)
	net := mnistnet.New()
	net.Init(defaultSeed)
	r, err := trainEpochs(net, train, test, 2, defaultSeed, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !(r[1].TrainLoss < r[0].TrainLoss/1.5) || !(r[1].TestLoss < r[0].TestLoss) {
		t.Errorf("training loss went from %.4f to %.4f, test loss from %.4f to %.4f; want a fall by 1.5x and a fall",
			r[0].TrainLoss, r[1].TrainLoss, r[0].TestLoss, r[1].TestLoss)
	}
	if r[1].TestAccuracy < 0.97 {
		t.Errorf("test accuracy after 2 epochs %.4f, want at least 0.97", r[1].TestAccuracy)
	}

	// The saved weights give back the same network.
	path := filepath.Join(t.TempDir(), "mnist.safetensors")
	if err := saveWeights(net, path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	loaded := mnistnet.New()
	if err := loaded.UnmarshalSafetensors(b); err != nil {
		t.Fatal(err)
	}
	if loaded.Params != net.Params {
		t.Error("weights read back differ from the ones saved")
	}
}

// TestDefaultRun checks the example's claim: the default flags reach 0.980
// (0.9810 on the AVX-512 kernels, 0.9812 on AVX2, 0.9809 on the generic
// ones, which take about a minute and are skipped).
func TestDefaultRun(t *testing.T) {
	if testing.Short() || mnistnet.Kernels() == "generic" {
		t.Skip("8 epochs: about 4 s on the SIMD kernels, a minute on the generic ones")
	}
	train, test := mnist(t)
	net := mnistnet.New()
	net.Init(defaultSeed)
	r, err := trainEpochs(net, train, test, defaultEpochs, defaultSeed, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if acc := r[len(r)-1].TestAccuracy; acc < 0.980 {
		t.Errorf("test accuracy after %d epochs %.4f, want at least 0.980", defaultEpochs, acc)
	}
}

// idx returns a gzip-compressed IDX file of unsigned bytes.
func idx(dims []uint32, pixels []byte) []byte {
	raw := []byte{0, 0, 8, byte(len(dims))}
	for _, n := range dims {
		raw = binary.BigEndian.AppendUint32(raw, n)
	}
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(append(raw, pixels...))
	w.Close()
	return b.Bytes()
}

// TestBadFiles checks that parseSet refuses images and labels that are not
// MNIST's with an error naming the file and the offset (package data tests
// the IDX reader's own refusals).
func TestBadFiles(t *testing.T) {
	const n, side = 2, 28
	pixels := make([]byte, n*side*side)
	images := idx([]uint32{n, side, side}, pixels)
	labels := idx([]uint32{n}, []byte{3, 7})
	if s, err := parseSet("i", images, "l", labels); err != nil || s.Len() != n {
		t.Fatalf("the good pair: %v", err)
	}
	for _, c := range []struct {
		name           string
		images, labels []byte
		want           string
	}{
		{"27 rows", idx([]uint32{n, 27, side}, pixels[:n*27*side]), labels, "i: offset 4: shape 2x27x28: rows of 756 values, but [784]float32 holds 784"},
		{"labels as images", labels, labels, "i: offset 4: shape 2: rows of 1 values, but [784]float32 holds 784"},
		{"fewer labels", images, idx([]uint32{1}, []byte{3}), "l: offset 4: 1 rows, but i has 2"},
		{"label 10", images, idx([]uint32{n}, []byte{3, 10}), "l: offset 9: label 10 is not a class in [0, 10) (row 1)"},
		{"cut", images[:len(images)/2], labels, "i: offset"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseSet("i", c.images, "l", c.labels)
			var e *data.Error
			if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
}
