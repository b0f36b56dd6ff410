package data

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
)

// MaxBytes bounds the decompressed size of a file, so that a gzip bomb is
// an error and not an exhausted memory.
const MaxBytes = 1 << 32

// gunzip returns b decompressed if it starts with gzip's magic number, and b
// itself otherwise. Errors in the stream are at the offset of the first byte
// that could not be decompressed.
func gunzip(name string, b []byte) ([]byte, error) {
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return b, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, offsetError(name, 0, "bad gzip header: %v", err)
	}
	var out bytes.Buffer
	n, err := out.ReadFrom(io.LimitReader(zr, MaxBytes+1))
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, offsetError(name, n, "the gzip stream is cut short after %d bytes", n)
	case err != nil:
		return nil, offsetError(name, n, "corrupt gzip stream after %d bytes: %v", n, err)
	case n > MaxBytes:
		return nil, offsetError(name, MaxBytes, "decompresses to more than %d bytes", int64(MaxBytes))
	}
	return out.Bytes(), nil
}
