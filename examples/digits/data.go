package main

// This file turns the CSV of testdata/digits.csv.gz into network inputs; it
// is the only code that knows the file's format (see testdata/PROVENANCE.md).

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"

	"github.com/nngen/nngen/examples/digits/digitnet"
)

// digitsCSV is embedded so that the example runs from any directory.
//
//go:embed testdata/digits.csv.gz
var digitsCSV []byte

// maxGrey is the largest pixel value in the data: 8x8 images, grey levels 0–16.
const maxGrey = 16

// dataset is a list of images with their labels (the digit they show).
type dataset struct {
	images []digitnet.Input
	labels []digitnet.Target
}

func (d *dataset) len() int { return len(d.labels) }

// loadDigits reads the embedded data set: one image a row, 64 pixels then the label.
func loadDigits() (*dataset, error) {
	zr, err := gzip.NewReader(bytes.NewReader(digitsCSV))
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(zr)
	r.FieldsPerRecord = digitnet.InputSize + 1
	d := &dataset{}
	for row := 1; ; row++ {
		rec, err := r.Read()
		if err == io.EOF {
			return d, nil
		}
		if err != nil {
			return nil, err
		}
		if err := d.add(rec); err != nil {
			return nil, fmt.Errorf("digits.csv row %d: %v", row, err)
		}
	}
}

// add appends one CSV record, scaling the pixels to [0, 1].
func (d *dataset) add(rec []string) error {
	var img digitnet.Input
	for i, s := range rec[:digitnet.InputSize] {
		v, err := parseInt(s, maxGrey)
		if err != nil {
			return fmt.Errorf("pixel %d: %v", i, err)
		}
		img[0][i/digitnet.InputWidth][i%digitnet.InputWidth] = float32(v) / maxGrey
	}
	label, err := parseInt(rec[digitnet.InputSize], digitnet.OutputSize-1)
	if err != nil {
		return fmt.Errorf("label: %v", err)
	}
	d.images = append(d.images, img)
	d.labels = append(d.labels, digitnet.Target(label))
	return nil
}

// parseInt parses an integer in [0, max].
func parseInt(s string, max int) (int, error) {
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, err
	}
	if v < 0 || v > max {
		return 0, fmt.Errorf("%d is outside [0, %d]", v, max)
	}
	return v, nil
}

// split shuffles d with a fixed seed and returns the first three quarters for
// training and the last quarter, held out, for testing.
func (d *dataset) split(seed uint64) (train, test *dataset) {
	order := rand.New(rand.NewPCG(seed, 0)).Perm(d.len())
	cut := d.len() - d.len()/4
	return d.subset(order[:cut]), d.subset(order[cut:])
}

// subset returns the examples at the given indices, in that order.
func (d *dataset) subset(indices []int) *dataset {
	s := &dataset{}
	for _, i := range indices {
		s.images = append(s.images, d.images[i])
		s.labels = append(s.labels, d.labels[i])
	}
	return s
}
