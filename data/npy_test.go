package data

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// npy returns a .npy file of format version major.0 with the given header
// dict and data, padded as NumPy pads it.
func npy(major byte, dict string, data []byte) []byte {
	b := append([]byte("\x93NUMPY"), major, 0)
	lenSize := 4
	if major == 1 {
		lenSize = 2
	}
	header := dict + " "
	for (len(b)+lenSize+len(header)+1)%64 != 0 {
		header += " "
	}
	header += "\n"
	if major == 1 {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(header)))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(header)))
	}
	return append(append(b, header...), data...)
}

// TestNumPyFiles reads the files NumPy wrote (testdata/make_npy.py).
func TestNumPyFiles(t *testing.T) {
	for _, c := range []struct {
		file  string
		dtype DType
		shape []int
	}{
		{"f4_v1.npy", Float32, []int{2, 3}},
		{"f4_v1.npy.gz", Float32, []int{2, 3}},
		{"f8_v2.npy", Float64, []int{2, 3}},
		{"u1_v3.npy", Uint8, []int{2, 3}},
		{"i4.npy", Int32, []int{2, 3}},
		{"i8.npy", Int64, []int{2, 3}},
		{"labels.npy", Int64, []int{2}},
		{"scalar.npy", Float32, []int{}},
	} {
		t.Run(c.file, func(t *testing.T) {
			tensor, err := ReadNPY(filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			n := 1
			for _, d := range c.shape {
				n *= d
			}
			want := []float64{0, 1, 2, 3, 4, 5}[:n]
			if tensor.DType != c.dtype || !slices.Equal(tensor.Shape, c.shape) || !slices.Equal(values(tensor), want) {
				t.Errorf("got %v %v %v, want %v %v 0, 1, 2…", tensor.DType, tensor.Shape, values(tensor), c.dtype, c.shape)
			}
		})
	}
	x, err := ReadNPY(filepath.Join("testdata", "f4_v1.npy"))
	if err != nil {
		t.Fatal(err)
	}
	y, err := ReadNPY(filepath.Join("testdata", "labels.npy"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSet[[3]float32, int32](x, y, Options{Classes: 2})
	if err != nil || s.X[1] != [3]float32{3, 4, 5} || s.Y[1] != 1 {
		t.Errorf("NewSet: %v, %v", s, err)
	}
}

// TestNumPyRefusals reads the files NumPy wrote that the reader refuses.
func TestNumPyRefusals(t *testing.T) {
	for _, c := range []struct {
		file   string
		offset int64
		msg    string
	}{
		{"fortran.npy", 44, "fortran_order is True: Fortran order is not supported"},
		{"bigendian.npy", 20, `big-endian data (descr ">f4") is not supported: save it little-endian, a.astype('<f4')`},
		{"structured.npy", 20, "descr is not a string: structured arrays are not supported"},
	} {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join("testdata", c.file)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParseNPY("f", b)
			checkError(t, errorCase{c.file, b, 0, c.offset, c.msg}, err)
			if _, err := ReadNPY(path); err == nil || !strings.HasPrefix(err.Error(), path+": offset ") {
				t.Errorf("ReadNPY: %v, want an error naming %s", err, path)
			}
		})
	}
}

func TestParseNPY(t *testing.T) {
	for _, c := range []struct {
		name  string
		file  []byte
		shape []int
	}{
		{"python 2 longs", npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2L, 1L), }", []byte{0, 1}), []int{2, 1}},
		{"keys in another order, double quotes", npy(2, `{"shape": (2,), "fortran_order": False, "descr": "|u1"}`, []byte{0, 1}), []int{2}},
		{"zero rows", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }", nil), []int{0, 3}},
		{"fortran order of a vector", npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2,)}", []byte{0, 1}), []int{2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tensor, err := ParseNPY("f", c.file)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tensor.Shape, c.shape) {
				t.Errorf("shape %v, want %v", tensor.Shape, c.shape)
			}
		})
	}
}

// TestNPYErrors feeds ParseNPY malformed files: each must be refused with
// an error naming the file and the offset of the fault.
func TestNPYErrors(t *testing.T) {
	const u1 = "{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }"
	good := npy(1, u1, []byte{1, 2})
	data := len(good) - 2
	short := func(dict string) []byte { // a header without NumPy's padding
		b := append([]byte("\x93NUMPY\x01\x00"), byte(len(dict)), 0)
		return append(b, dict...)
	}
	for _, c := range []errorCase{
		{"empty", nil, 0, 0, "not a .npy file"},
		{"IDX", idx(0x08, []uint32{1}, []byte{1}), 0, 0, "not a .npy file"},
		{"version 4", append([]byte("\x93NUMPY\x04\x00"), good[8:]...), 0, 6, "format version 4.0, want 1.0, 2.0 or 3.0"},
		{"version 1.1", append([]byte("\x93NUMPY\x01\x01"), good[8:]...), 0, 6, "format version 1.1"},
		{"ends in header length", []byte("\x93NUMPY\x02\x00\x10\x00"), 0, 10, "file ends in the header length"},
		{"ends in header", good[:40], 0, 40, "file ends in the header: 118 bytes declared, 30 left"},
		{"ends in data", good[:data+1], 0, int64(data + 1), "file ends in the data: the header declares 2 uint8, 1 bytes are left"},
		{"huge shape", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }", nil), 0, 128, "declares 4294967296x4294967296x4294967296 float64"},
		{"trailing data", append(bytes.Clone(good), 0), 0, int64(data + 2), "data goes on after the 2 uint8 the header declares"},
		{"no dict", short("[1, 2]"), 0, 10, `unexpected '[', want '{'`},
		{"missing key", short("{'descr': '|u1', 'shape': (2,)}"), 0, 41, `header: no "fortran_order"`},
		{"extra key", short("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), 'z': 1}"), 0, 71, "unexpected \"1\": want a string, True, False or a tuple"},
		{"unknown key", short("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), 'z': True}"), 0, 71, `key "z": want only 'descr', 'fortran_order' and 'shape'`},
		{"repeated key", short("{'descr': '|u1', 'descr': '|u1'}"), 0, 27, `key "descr" repeated`},
		{"big-endian", short("{'descr': '>i4', 'fortran_order': False, 'shape': (2,)}"), 0, 20, `big-endian data (descr ">i4")`},
		{"float16", short("{'descr': '<f2', 'fortran_order': False, 'shape': (2,)}"), 0, 20, `descr "<f2" is not supported: want '<f4', '<f8', '|u1', '<i4' or '<i8'`},
		{"descr not a string", short("{'descr': (4,), 'fortran_order': False, 'shape': (2,)}"), 0, 20, "descr is not a string"},
		{"fortran order", short("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 2)}"), 0, 44, "fortran_order is True"},
		{"fortran order not a bool", short("{'descr': '|u1', 'fortran_order': 'no', 'shape': (2, 2)}"), 0, 44, "fortran_order is not True or False"},
		{"shape not a tuple", short("{'descr': '|u1', 'fortran_order': False, 'shape': '2'}"), 0, 60, "shape is not a tuple of integers"},
		{"negative dimension", short("{'descr': '|u1', 'fortran_order': False, 'shape': (-2,)}"), 0, 61, `dimension "-2" is not a non-negative integer`},
		{"float dimension", short("{'descr': '|u1', 'fortran_order': False, 'shape': (2.5,)}"), 0, 62, `unexpected '.', want ','`},
		{"unterminated string", short("{'descr: 1}"), 0, 21, "unterminated string"},
		{"escape", short(`{'de\'scr': 1}`), 0, 14, "escapes and newlines in strings are not supported"},
		{"unterminated dict", short("{'descr': '|u1',"), 0, 26, "header ends, want a quoted string"},
		{"unterminated tuple", short("{'shape': (2, 3"), 0, 25, "header ends, want ','"},
		{"unterminated list", short("{'descr': [('a', '<f4')"), 0, 20, "unterminated list"},
		{"text after the dict", short("{'descr': '|u1'} x"), 0, 27, `"x" after the dict`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseNPY("f", c.input)
			checkError(t, c, err)
		})
	}
}

// FuzzNPY checks that no file, however malformed, makes the reader or the
// conversion to a Set panic, and that what is accepted is consistent.
func FuzzNPY(f *testing.F) {
	for _, name := range []string{"f4_v1.npy", "f8_v2.npy", "u1_v3.npy", "i4.npy", "i8.npy", "scalar.npy", "fortran.npy", "structured.npy", "f4_v1.npy.gz"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2L, 2L), }", []byte{0, 1, 2, 3}))
	f.Fuzz(func(t *testing.T, b []byte) {
		tensor, err := ParseNPY("f", b)
		if err != nil {
			return
		}
		n := 1
		for _, d := range tensor.Shape {
			n *= d
		}
		if n != tensor.Len() {
			t.Fatalf("shape %v, %d elements", tensor.Shape, tensor.Len())
		}
		fuzzSet(tensor)
	})
}
