package data

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
)

// gz returns raw gzip-compressed.
func gz(raw []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(raw)
	w.Close()
	return b.Bytes()
}

// errorCase is a malformed input and the *Error it must give.
type errorCase struct {
	name   string
	input  []byte
	line   int   // 0: a binary file's error, at offset
	offset int64 // -1: anywhere
	msg    string
}

// checkError checks that err is an *Error naming file "f", at the case's
// position, with the case's message in it.
func checkError(t *testing.T, c errorCase, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v, want an *Error", err)
	}
	if e.File != "f" || e.Line != c.line || (c.offset >= 0 && e.Offset != c.offset) || !strings.Contains(e.Msg, c.msg) {
		t.Errorf("error %q, want line %d, offset %d and %q", err, c.line, c.offset, c.msg)
	}
	if !strings.HasPrefix(err.Error(), "f:") {
		t.Errorf("error %q does not start with the file's name", err)
	}
}

// values returns every element of t.
func values(t *Tensor) []float64 {
	v := make([]float64, t.Len())
	for i := range v {
		v[i] = t.Value(i)
	}
	return v
}
