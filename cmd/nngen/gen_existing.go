package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/nngen/nngen/gen"
	"github.com/nngen/nngen/weights"
)

// What an output path holds decides whether gen may replace it: nothing,
// or a regular file that carries nngen's header. Paths are looked at with
// Lstat and read without following symlinks or blocking, so a FIFO, a
// device, a directory or a symlink is refused and never opened to write.

// existing is the regular, generated file at an output path.
type existing struct {
	data []byte
	perm fs.FileMode // kept by its replacement
}

// inspect returns the file at path, nil if there is none, or an error
// naming path when gen must not replace what is there.
func inspect(path string) (*existing, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := checkRegular(path, fi.Mode()); err != nil {
		return nil, err
	}
	data, err := readRegular(path, fi)
	if err != nil {
		return nil, err
	}
	if !isGenerated(path, data) {
		return nil, fmt.Errorf("refusing to overwrite %s: it lacks the header %q", path, gen.Header)
	}
	return &existing{data: data, perm: fi.Mode().Perm()}, nil
}

// checkRegular refuses all but regular files. Any symlink is refused,
// wherever it points: replacing it would write through it (outside the
// directory, or creating a dangling link's target) or silently turn it
// into a file.
func checkRegular(path string, m fs.FileMode) error {
	switch {
	case m&fs.ModeSymlink != 0:
		return fmt.Errorf("refusing to write %s: it is a symlink (gen replaces only regular files)", path)
	case !m.IsRegular():
		return fmt.Errorf("refusing to write %s: it is %s, not a regular file", path, kind(m))
	}
	return nil
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "of type " + m.Type().String()
}

// readRegular reads the file that Lstat described as fi. It opens it
// without following a symlink or blocking on a FIFO, and checks it is
// still that file, in case the path changed after the Lstat.
func readRegular(path string, fi fs.FileInfo) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|openNoFollow, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	now, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !os.SameFile(fi, now) {
		return nil, fmt.Errorf("refusing to write %s: it changed while gen read it", path)
	}
	return io.ReadAll(f)
}

// isGenerated reports whether data's first line is nngen's header (for an
// embedded safetensors file: whether its header carries nngen's marker).
func isGenerated(path string, data []byte) bool {
	if strings.HasSuffix(path, ".safetensors") {
		head := data[:min(len(data), 4096)]
		return bytes.Contains(head, []byte(`"`+weights.MarkerKey+`":"`+weights.MarkerValue+`"`))
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return string(bytes.TrimSuffix(line, []byte("\r"))) == gen.Header
}
