package data

// This file reads NumPy's .npy format (numpy.lib.format): the magic
// "\x93NUMPY", a major and a minor version, the header's length (uint16
// little-endian in version 1.0, uint32 in 2.0 and 3.0), the header, a Python
// dict literal such as {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), },
// then the elements.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"maps"
	"os"
	"slices"
)

var npyMagic = []byte("\x93NUMPY")

// npyTypes are the element types read, by their descr.
var npyTypes = map[string]DType{"|u1": Uint8, "<i4": Int32, "<i8": Int64, "<f4": Float32, "<f8": Float64}

// ReadNPY reads a .npy file, gzip-compressed or not.
func ReadNPY(path string) (*Tensor, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseNPY(path, b)
}

// ParseNPY decodes the contents of a .npy file, gzip-compressed or not;
// name is the file's name for errors. It accepts format versions 1.0, 2.0
// and 3.0, the element types <f4, <f8, |u1, <i4 and <i8, in C order.
func ParseNPY(name string, b []byte) (*Tensor, error) {
	b, err := gunzip(name, b)
	if err != nil {
		return nil, err
	}
	start, header, err := npyHeader(name, b)
	if err != nil {
		return nil, err
	}
	h, err := parseNPYHeader(name, header, start-len(header))
	if err != nil {
		return nil, err
	}
	t := &Tensor{File: name, Shape: h.shape, DType: h.dtype, order: binary.LittleEndian, start: int64(start), shapeAt: h.shapeAt}
	size, ok := byteSize(t.Shape, t.DType, len(b)-start)
	switch {
	case !ok:
		return nil, offsetError(name, int64(len(b)), "file ends in the data: the header declares %s %s, %d bytes are left", shapeString(t.Shape), t.DType, len(b)-start)
	case start+size < len(b):
		return nil, offsetError(name, int64(start+size), "data goes on after the %s %s the header declares", shapeString(t.Shape), t.DType)
	}
	t.raw = b[start:]
	return t, nil
}

// npyHeader checks the magic and the version and returns the offset of the
// data and the header's text.
func npyHeader(name string, b []byte) (start int, header []byte, err error) {
	if len(b) < 8 || !bytes.Equal(b[:6], npyMagic) {
		return 0, nil, offsetError(name, 0, "not a .npy file: it does not start with \"\\x93NUMPY\"")
	}
	var n int
	switch major, minor := b[6], b[7]; {
	case major == 1 && minor == 0 && len(b) >= 10:
		n, start = int(binary.LittleEndian.Uint16(b[8:])), 10
	case (major == 2 || major == 3) && minor == 0 && len(b) >= 12:
		n, start = int(binary.LittleEndian.Uint32(b[8:])), 12
	case major >= 1 && major <= 3 && minor == 0:
		return 0, nil, offsetError(name, int64(len(b)), "file ends in the header length")
	default:
		return 0, nil, offsetError(name, 6, "format version %d.%d, want 1.0, 2.0 or 3.0", major, minor)
	}
	if n > len(b)-start {
		return 0, nil, offsetError(name, int64(len(b)), "file ends in the header: %d bytes declared, %d left", n, len(b)-start)
	}
	return start + n, b[start : start+n], nil
}

// npyHeaderFields is what the header says.
type npyHeaderFields struct {
	dtype   DType
	shape   []int
	shapeAt int64
}

// parseNPYHeader reads the header dict; base is its offset in the file.
func parseNPYHeader(name string, header []byte, base int) (npyHeaderFields, error) {
	var h npyHeaderFields
	d, err := parsePyDict(header)
	if err != nil {
		return h, offsetError(name, int64(base+err.at), "header: %s", err.msg)
	}
	fail := func(key, format string, args ...any) (npyHeaderFields, error) {
		at := len(header)
		if v, ok := d[key]; ok {
			at = v.at
		}
		return h, offsetError(name, int64(base+at), "header: %s", fmt.Sprintf(format, args...))
	}
	for _, key := range []string{"descr", "fortran_order", "shape"} {
		if _, ok := d[key]; !ok {
			return fail(key, "no %q", key)
		}
	}
	if len(d) > 3 {
		extra := slices.Sorted(maps.Keys(d))
		extra = slices.DeleteFunc(extra, func(k string) bool { return k == "descr" || k == "fortran_order" || k == "shape" })
		return fail(extra[0], "key %q: want only 'descr', 'fortran_order' and 'shape'", extra[0])
	}

	descr, isString := d["descr"].value.(string)
	var ok bool
	h.dtype, ok = npyTypes[descr]
	switch {
	case !isString:
		return fail("descr", "descr is not a string: structured arrays are not supported")
	case !ok && len(descr) > 0 && descr[0] == '>':
		return fail("descr", "big-endian data (descr %q) is not supported: save it little-endian, a.astype('<%s')", descr, descr[1:])
	case !ok:
		return fail("descr", "descr %q is not supported: want '<f4', '<f8', '|u1', '<i4' or '<i8'", descr)
	}
	switch f := d["fortran_order"].value; f {
	case true:
		return fail("fortran_order", "fortran_order is True: Fortran order is not supported, save a C-order array (np.ascontiguousarray)")
	case false:
	default:
		return fail("fortran_order", "fortran_order is not True or False")
	}
	shape, ok := d["shape"].value.([]int)
	if !ok {
		return fail("shape", "shape is not a tuple of integers")
	}
	h.shape, h.shapeAt = shape, int64(base+d["shape"].at)
	return h, nil
}
