package spec

import (
	"io"
	"os"
)

// Load reads, parses and checks the spec at path; positions name path as
// given. A file over MaxSpecBytes is refused without reading it all.
func Load(path string) (*Model, error) {
	src, err := readSpec(path)
	if err != nil {
		return nil, err
	}
	return ParseAndCheck(path, src)
}

// readSpec reads at most MaxSpecBytes of the file at path, and refuses a
// longer one.
func readSpec(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, MaxSpecBytes+1))
	if err != nil {
		return nil, err
	}
	if len(src) <= MaxSpecBytes {
		return src, nil
	}
	size := int64(-1)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	return nil, tooLong(path, size)
}

// ParseAndCheck parses src and checks it. Layout errors stop it before
// checking, since a broken layout would only produce confusing follow-ups.
func ParseAndCheck(filename string, src []byte) (*Model, error) {
	f, err := Parse(filename, src)
	if err != nil {
		return nil, err
	}
	return Check(f)
}
