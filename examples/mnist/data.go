package main

// This file turns the IDX files of testdata/ into network inputs; it is the
// only code that knows their format (see testdata/PROVENANCE.md).

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nngen/nngen/examples/mnist/mnistnet"
)

// mnistFiles is embedded so that the example runs from any directory.
//
//go:embed testdata/*.gz
var mnistFiles embed.FS

// IDX magic numbers: two zero bytes, 0x08 for unsigned bytes, then the
// number of dimensions.
const (
	labelsMagic = 0x00000801
	imagesMagic = 0x00000803
)

// side is the width and height of an MNIST image.
const side = 28

// maxIDXBytes bounds what a header may ask us to allocate (MNIST's largest
// file has 47 MB), so that a corrupt count is an error and not a crash.
const maxIDXBytes = 1 << 28

// pixelValue maps a grey level (0–255) to its input, in [0, 1]. The inputs
// are not standardised by the MNIST mean and standard deviation (0.1307,
// 0.3081) because that did not help: at each one's best learning rates (0.02
// standardised, 0.03–0.05 in [0, 1]), 10–15 epochs, seeds 1–3, standardised
// inputs gave 0.980–0.982 test accuracy and [0, 1] pixels 0.981–0.983.
var pixelValue = func() (t [256]float32) {
	for g := range t {
		t[g] = float32(g) / 255
	}
	return t
}()

// dataset is a list of images with their labels (the digit they show). The
// pixels stay bytes (47 MB for the training set rather than 188 MB as
// float32); image converts one when a batch is filled.
type dataset struct {
	pixels []byte // image i is pixels[i*InputSize : (i+1)*InputSize], row-major
	labels []mnistnet.Target
}

func (d *dataset) len() int { return len(d.labels) }

// image writes example i, scaled to [0, 1], into x.
func (d *dataset) image(i int, x *mnistnet.Input) {
	for j, g := range d.pixels[i*mnistnet.InputSize : (i+1)*mnistnet.InputSize] {
		x[j] = pixelValue[g]
	}
}

// loadMNIST reads the embedded training set (60,000 images) and test set
// (10,000 images).
func loadMNIST() (train, test *dataset, err error) {
	train, err = loadSet("testdata/train-images-idx3-ubyte.gz", "testdata/train-labels-idx1-ubyte.gz")
	if err != nil {
		return nil, nil, err
	}
	test, err = loadSet("testdata/t10k-images-idx3-ubyte.gz", "testdata/t10k-labels-idx1-ubyte.gz")
	if err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// loadSet reads an images file and its labels file from mnistFiles.
func loadSet(imagesName, labelsName string) (*dataset, error) {
	images, err := mnistFiles.ReadFile(imagesName)
	if err != nil {
		return nil, err
	}
	labels, err := mnistFiles.ReadFile(labelsName)
	if err != nil {
		return nil, err
	}
	return parseSet(imagesName, images, labelsName, labels)
}

// parseSet decodes a gzip-compressed IDX images file and its labels file
// and checks that they agree: n images of 28×28 and n labels in 0–9.
func parseSet(imagesName string, images []byte, labelsName string, labels []byte) (*dataset, error) {
	dims, pixels, err := readIDX(imagesName, images, imagesMagic)
	if err != nil {
		return nil, err
	}
	for i, n := range dims[1:] {
		if n != side {
			return nil, &idxError{imagesName, int64(8 + 4*i), fmt.Sprintf("images are %dx%d, want %dx%d", dims[1], dims[2], side, side)}
		}
	}
	dims, classes, err := readIDX(labelsName, labels, labelsMagic)
	if err != nil {
		return nil, err
	}
	if dims[0] != len(pixels)/mnistnet.InputSize {
		return nil, &idxError{labelsName, 4, fmt.Sprintf("%d labels for the %d images of %s", dims[0], len(pixels)/mnistnet.InputSize, imagesName)}
	}
	d := &dataset{pixels: pixels, labels: make([]mnistnet.Target, len(classes))}
	for i, c := range classes {
		if int(c) >= mnistnet.OutputSize {
			return nil, &idxError{labelsName, int64(8 + i), fmt.Sprintf("label %d is outside [0, %d]", c, mnistnet.OutputSize-1)}
		}
		d.labels[i] = mnistnet.Target(c)
	}
	return d, nil
}

// idxError is a malformed IDX file. Offset counts bytes of the IDX data,
// after decompression, except for a file that is not gzip at all (offset 0).
type idxError struct {
	file   string
	offset int64
	msg    string
}

func (e *idxError) Error() string { return fmt.Sprintf("%s: offset %d: %s", e.file, e.offset, e.msg) }

// readIDX decodes a gzip-compressed IDX file of unsigned bytes with the given
// magic number: a big-endian uint32 magic, one big-endian uint32 per
// dimension, then the bytes, row-major, and nothing after them.
func readIDX(name string, compressed []byte, magic uint32) (dims []int, data []byte, err error) {
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		return nil, nil, &idxError{name, 0, fmt.Sprintf("not a gzip file: %v", err)}
	}
	r := &countingReader{r: zr}
	fail := func(off int64, format string, args ...any) ([]int, []byte, error) {
		return nil, nil, &idxError{name, off, fmt.Sprintf(format, args...)}
	}
	short := func(what string, err error) ([]int, []byte, error) {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return fail(r.n, "file ends in the %s", what)
		}
		return fail(r.n, "%s: %v", what, err) // a corrupt gzip stream
	}

	var word [4]byte
	if _, err := io.ReadFull(r, word[:]); err != nil {
		return short("magic number", err)
	}
	if got := binary.BigEndian.Uint32(word[:]); got != magic {
		return fail(0, "magic number 0x%08x, want 0x%08x", got, magic)
	}
	size := 1
	dims = make([]int, magic&0xff)
	for i := range dims {
		if _, err := io.ReadFull(r, word[:]); err != nil {
			return short("header", err)
		}
		n := binary.BigEndian.Uint32(word[:])
		if n == 0 {
			return fail(r.n-4, "dimension %d is 0", i)
		}
		if uint64(size)*uint64(n) > maxIDXBytes {
			return fail(r.n-4, "dimension %d is %d: more than %d bytes in all", i, n, maxIDXBytes)
		}
		dims[i] = int(n)
		size *= int(n)
	}

	data = make([]byte, size)
	if _, err := io.ReadFull(r, data); err != nil {
		return short(fmt.Sprintf("data (%s bytes declared)", shape(dims)), err)
	}
	// Reading on to the end also makes gzip check the stream's CRC.
	switch _, err := io.ReadFull(r, word[:1]); err {
	case nil:
		return fail(r.n-1, "data goes on after the %s bytes the header declares", shape(dims))
	case io.EOF:
	default:
		return short("gzip trailer", err)
	}
	return dims, data, nil
}

// countingReader counts the bytes read, for the offsets of errors.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// shape formats dimensions as 60000x28x28.
func shape(dims []int) string {
	s := make([]string, len(dims))
	for i, n := range dims {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, "x")
}
