package main

import (
	"io"
	"testing"

	"github.com/nngen/nngen/examples/digits/digitnet"
)

func TestLoadDigits(t *testing.T) {
	d, err := loadDigits()
	if err != nil {
		t.Fatal(err)
	}
	if d.len() != 1797 {
		t.Fatalf("loaded %d images, want 1797", d.len())
	}
	var perClass [digitnet.OutputSize]int
	for _, y := range d.labels {
		perClass[y]++
	}
	for c, n := range perClass {
		if n < 170 { // about 180 images of each digit
			t.Errorf("digit %d: %d images, want about 180", c, n)
		}
	}
	train, test := d.split(seed)
	if train.len() != 1348 || test.len() != 449 {
		t.Errorf("split %d/%d, want 1348/449", train.len(), test.len())
	}
}

// TestTrainingLearns runs the example's training and checks that the loss
// falls and that the network classifies held-out digits well (0.971 when
// this was written).
func TestTrainingLearns(t *testing.T) {
	d, err := loadDigits()
	if err != nil {
		t.Fatal(err)
	}
	train, test := d.split(seed)
	net := digitnet.New()
	net.Init(seed)
	losses := trainEpochs(net, train, epochs, seed, io.Discard)
	if first, last := losses[0], losses[len(losses)-1]; !(last < first/4) {
		t.Errorf("training loss went from %.4f to %.4f, want a fall by 4x at least", first, last)
	}
	acc := float64(countCorrect(net, test)) / float64(test.len())
	if acc < 0.93 {
		t.Errorf("held-out accuracy %.3f, want at least 0.93", acc)
	}
}
