package data

// This file reads tables of numbers as text: CSV (RFC 4180, as
// encoding/csv reads it) or whitespace-separated columns (numpy.loadtxt's
// default), one example a line.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
)

// CSVOptions say how to read a table.
type CSVOptions struct {
	// Comma separates fields: ',' when 0; ' ' splits on runs of spaces
	// and tabs (and then quotes have no meaning).
	Comma rune
	// Header says that the first line is not data (column names, or
	// scikit-learn's "569,30,…" counts): it is skipped unread.
	Header bool
	// Label is the column of the label, counted from 1; negative counts
	// from the end (-1 is the last column); 0 means no label column.
	Label int
}

// ReadCSV reads a table of numbers, gzip-compressed or not. It returns the
// features, a Rows×Columns tensor of the columns other than the label's, and
// the labels, a Rows×1 tensor (nil when opt.Label is 0).
func ReadCSV(path string, opt CSVOptions) (x, y *Tensor, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return ParseCSV(path, b, opt)
}

// ParseCSV decodes the contents of a table as ReadCSV does; name is the
// file's name for errors.
func ParseCSV(name string, b []byte, opt CSVOptions) (x, y *Tensor, err error) {
	b, err = gunzip(name, b)
	if err != nil {
		return nil, nil, err
	}
	var rows records
	if opt.Comma == ' ' {
		rows = &fieldsReader{rest: b}
	} else {
		rows = newCSVReader(b, opt.Comma)
	}
	t := &table{name: name, label: opt.Label}
	if opt.Header {
		if _, _, err := rows.next(); err != nil && err != io.EOF {
			return nil, nil, t.readError(err)
		}
	}
	for {
		fields, line, err := rows.next()
		if err == io.EOF {
			return t.tensors()
		}
		if err != nil {
			return nil, nil, t.readError(err)
		}
		if err := t.add(fields, line); err != nil {
			return nil, nil, err
		}
	}
}

// records yields the fields of each line and its number; io.EOF at the end.
type records interface {
	next() ([]string, int, error)
}

// csvReader reads with encoding/csv.
type csvReader struct{ r *csv.Reader }

func newCSVReader(b []byte, comma rune) *csvReader {
	r := csv.NewReader(bytes.NewReader(b))
	if comma != 0 {
		r.Comma = comma
	}
	r.FieldsPerRecord = -1 // table.add checks the count, with a better message
	r.ReuseRecord = true
	r.TrimLeadingSpace = r.Comma != '\t' // it would skip a tab separator, merging empty fields
	return &csvReader{r}                 // an invalid Comma fails the first Read
}

func (c *csvReader) next() ([]string, int, error) {
	fields, err := c.r.Read()
	if err != nil {
		return nil, 0, err
	}
	line, _ := c.r.FieldPos(0)
	return fields, line, nil
}

// fieldsReader splits lines on runs of whitespace, skipping blank lines.
type fieldsReader struct {
	rest []byte
	line int
}

func (f *fieldsReader) next() ([]string, int, error) {
	for len(f.rest) > 0 {
		f.line++
		text, rest, _ := bytes.Cut(f.rest, []byte{'\n'})
		f.rest = rest
		if fields := strings.Fields(string(text)); len(fields) > 0 {
			return fields, f.line, nil
		}
	}
	return nil, 0, io.EOF
}

// table accumulates the rows of a text file.
type table struct {
	name    string
	label   int // as CSVOptions.Label
	columns int // of the first row
	x, y    []float64
	lines   []int
}

// add appends one row.
func (t *table) add(fields []string, line int) error {
	if len(t.lines) == 0 {
		t.columns = len(fields)
		if t.label > t.columns || -t.label > t.columns {
			return lineError(t.name, line, "label column %d, but the table has %d columns", t.label, t.columns)
		}
	}
	if len(fields) != t.columns {
		return lineError(t.name, line, "%d fields, want %d as on line %d", len(fields), t.columns, t.lines[0])
	}
	labelAt := t.labelIndex()
	for i, s := range fields {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return lineError(t.name, line, "field %d: %q is not a number", i+1, s)
		}
		if i == labelAt {
			t.y = append(t.y, v)
		} else {
			t.x = append(t.x, v)
		}
	}
	t.lines = append(t.lines, line)
	return nil
}

// labelIndex returns the 0-based index of the label column, -1 for none.
func (t *table) labelIndex() int {
	switch {
	case t.label > 0:
		return t.label - 1
	case t.label < 0:
		return t.columns + t.label
	}
	return -1
}

// tensors returns the features and the labels read.
func (t *table) tensors() (x, y *Tensor, err error) {
	rows := len(t.lines)
	features := t.columns
	if t.label != 0 && features > 0 {
		features--
	}
	x = &Tensor{File: t.name, Shape: []int{rows, features}, DType: Float64, text: true, values: t.x, lines: t.lines}
	if t.label != 0 {
		y = &Tensor{File: t.name, Shape: []int{rows, 1}, DType: Float64, text: true, values: t.y, lines: t.lines}
	}
	return x, y, nil
}

// readError converts encoding/csv's errors to *Error.
func (t *table) readError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return lineError(t.name, pe.Line, "column %d: %v", pe.Column, pe.Err)
	}
	return lineError(t.name, 1, "%v", err)
}
