package main

// This file loads the diabetes files of testdata/ (see PROVENANCE.md) with
// package data and standardises them.

import (
	_ "embed"

	"github.com/nngen/nngen/data"
	"github.com/nngen/nngen/examples/regression/diabetesnet"
)

// The files are embedded so that the example runs from any directory.
var (
	//go:embed testdata/diabetes_data_raw.csv.gz
	featuresFile []byte
	//go:embed testdata/diabetes_target.csv.gz
	targetFile []byte
)

// set is a list of patients: ten measurements, and the disease's progression.
type set = data.Set[diabetesnet.Input, diabetesnet.Target]

// loadDiabetes reads the 442 patients, in the files' units.
func loadDiabetes() (*set, error) {
	whitespace := data.CSVOptions{Comma: ' '}
	x, _, err := data.ParseCSV("diabetes_data_raw.csv.gz", featuresFile, whitespace)
	if err != nil {
		return nil, err
	}
	y, _, err := data.ParseCSV("diabetes_target.csv.gz", targetFile, whitespace)
	if err != nil {
		return nil, err
	}
	return data.NewSet[diabetesnet.Input, diabetesnet.Target](x, y, data.Options{})
}

// scaling standardises the features and the target with the training set's
// means and standard deviations, so that no statistic of the test set
// leaks into training.
type scaling struct {
	x *data.Standardizer[diabetesnet.Input]
	y *data.Standardizer[diabetesnet.Target]
}

// fitScaling computes the statistics of train.
func fitScaling(train *set) (*scaling, error) {
	x, err := data.FitStandardizer(train.X)
	if err != nil {
		return nil, err
	}
	y, err := data.FitStandardizer(train.Y)
	if err != nil {
		return nil, err
	}
	return &scaling{x, y}, nil
}

// standardised returns a copy of s, standardised.
func (sc *scaling) standardised(s *set) *set {
	c := &set{X: append([]diabetesnet.Input(nil), s.X...), Y: append([]diabetesnet.Target(nil), s.Y...)}
	sc.x.Apply(c.X)
	sc.y.Apply(c.Y)
	return c
}
