package main

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/nngen/nngen/data"
	"github.com/nngen/nngen/examples/digits/digitnet"
)

func TestLoadDigits(t *testing.T) {
	d, err := loadDigits()
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 1797 {
		t.Fatalf("loaded %d images, want 1797", d.Len())
	}
	var perClass [digitnet.OutputSize]int
	for _, y := range d.Y {
		perClass[y]++
	}
	for c, n := range perClass {
		if n < 170 { // about 180 images of each digit
			t.Errorf("digit %d: %d images, want about 180", c, n)
		}
	}
	// The first image is a 0; its first row is 0,0,5,13,9,1,0,0, and row 1,
	// column 3 is 15 (the CSV's field 12), all over 16.
	x := d.X[0][0]
	if d.Y[0] != 0 || x[0] != [8]float32{0, 0, 5.0 / 16, 13.0 / 16, 9.0 / 16, 1.0 / 16, 0, 0} || x[1][3] != 15.0/16 {
		t.Errorf("first image: label %d, pixels %v", d.Y[0], x)
	}
	train, test := d.Split(heldOut, defaultSeed)
	if train.Len() != 1348 || test.Len() != 449 {
		t.Errorf("split %d/%d, want 1348/449", train.Len(), test.Len())
	}
}

// TestBadRow checks that a malformed row is refused with its line.
func TestBadRow(t *testing.T) {
	x, y, err := data.ParseCSV("bad.csv", []byte(strings.Repeat("0,", 64)+"3\n"+strings.Repeat("0,", 64)+"11\n"), data.CSVOptions{Label: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = data.NewSet[digitnet.Input, digitnet.Target](x, y, data.Options{Classes: digitnet.OutputSize})
	var e *data.Error
	if !errors.As(err, &e) || e.Error() != "bad.csv:2: label 11 is not a class in [0, 10) (row 1)" {
		t.Errorf("error %v, want bad.csv:2: label 11 …", err)
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
	train, test := d.Split(heldOut, defaultSeed)
	net := digitnet.New()
	net.Init(defaultSeed)
	r, err := trainEpochs(net, train, test, defaultEpochs, defaultSeed, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if first, last := r[0].TrainLoss, r[len(r)-1].TrainLoss; !(last < first/4) {
		t.Errorf("training loss went from %.4f to %.4f, want a fall by 4x at least", first, last)
	}
	if acc := r[len(r)-1].TestAccuracy; acc < 0.93 {
		t.Errorf("held-out accuracy %.3f, want at least 0.93", acc)
	}
}
