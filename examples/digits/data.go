package main

// This file loads testdata/digits.csv.gz (see testdata/PROVENANCE.md) with
// package data: one image a row, 64 grey levels then the label.

import (
	_ "embed"

	"github.com/nngen/nngen/data"
	"github.com/nngen/nngen/examples/digits/digitnet"
)

// digitsCSV is embedded so that the example runs from any directory.
//
//go:embed testdata/digits.csv.gz
var digitsCSV []byte

// maxGrey is the largest pixel value in the data: 8x8 images, grey levels 0–16.
const maxGrey = 16

// set is a list of images with their labels (the digit they show).
type set = data.Set[digitnet.Input, digitnet.Target]

// loadDigits reads the embedded data set, scaling the pixels to [0, 1].
func loadDigits() (*set, error) {
	x, y, err := data.ParseCSV("digits.csv.gz", digitsCSV, data.CSVOptions{Label: -1})
	if err != nil {
		return nil, err
	}
	return data.NewSet[digitnet.Input, digitnet.Target](x, y, data.Options{Scale: 1.0 / maxGrey, Classes: digitnet.OutputSize})
}
