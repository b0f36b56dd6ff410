// Package generated holds the packages nngen generates for the reference
// networks R1–R5 (testdata/specs), float32, checked in so that reviewers see
// generated code and CI can diff it. `go generate ./generated` rebuilds them;
// TestGeneratedFilesUpToDate fails when they are stale.
package generated

//go:generate go run ../cmd/nngen gen -o housing ../testdata/specs/r1_housing.nn
//go:generate go run ../cmd/nngen gen -o mnist ../testdata/specs/r2_mnist.nn
//go:generate go run ../cmd/nngen gen -o resnet ../testdata/specs/r3_resnet.nn
//go:generate go run ../cmd/nngen gen -o digits ../testdata/specs/r4_digits.nn
//go:generate go run ../cmd/nngen gen -o signal ../testdata/specs/r5_signal.nn
