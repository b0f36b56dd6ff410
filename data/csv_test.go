package data

import (
	"slices"
	"testing"
)

func TestParseCSV(t *testing.T) {
	for _, c := range []struct {
		name         string
		file         string
		opt          CSVOptions
		xShape       []int
		x, y         []float64 // y nil: no label tensor
		xLines       []int
		compressFile bool
	}{
		{name: "label last", file: "1,2,0\n3,4,1\n", opt: CSVOptions{Label: -1},
			xShape: []int{2, 2}, x: []float64{1, 2, 3, 4}, y: []float64{0, 1}, xLines: []int{1, 2}},
		{name: "label first", file: "0,1,2\n1,3,4\n", opt: CSVOptions{Label: 1},
			xShape: []int{2, 2}, x: []float64{1, 2, 3, 4}, y: []float64{0, 1}, xLines: []int{1, 2}},
		{name: "label in the middle", file: "1,0,2\n3,1,4\n", opt: CSVOptions{Label: 2},
			xShape: []int{2, 2}, x: []float64{1, 2, 3, 4}, y: []float64{0, 1}, xLines: []int{1, 2}},
		{name: "no label", file: "1,2\n3,4\n",
			xShape: []int{2, 2}, x: []float64{1, 2, 3, 4}, xLines: []int{1, 2}},
		{name: "header of another width", file: "569,30,a,b,c\n1,2,0\n\n3,4,1\n", opt: CSVOptions{Header: true, Label: -1},
			xShape: []int{2, 2}, x: []float64{1, 2, 3, 4}, y: []float64{0, 1}, xLines: []int{2, 4}},
		{name: "quoted header, CRLF, spaces", file: "\"x, 1\",x2,y\r\n 1.5, -2e3 ,0\r\n3,4,1\r\n", opt: CSVOptions{Header: true, Label: 3},
			xShape: []int{2, 2}, x: []float64{1.5, -2000, 3, 4}, y: []float64{0, 1}, xLines: []int{2, 3}},
		{name: "semicolons", file: "1;2\n", opt: CSVOptions{Comma: ';', Label: -1},
			xShape: []int{1, 1}, x: []float64{1}, y: []float64{2}, xLines: []int{1}},
		{name: "whitespace", file: "59 2  32.1\t101.0\n\n  48 1 21.6 87\n", opt: CSVOptions{Comma: ' '},
			xShape: []int{2, 4}, x: []float64{59, 2, 32.1, 101, 48, 1, 21.6, 87}, xLines: []int{1, 3}},
		{name: "whitespace, gzip", file: "1.51e+02\n7.5e+01\n", opt: CSVOptions{Comma: ' '}, compressFile: true,
			xShape: []int{2, 1}, x: []float64{151, 75}, xLines: []int{1, 2}},
		{name: "empty", file: "", opt: CSVOptions{Label: -1}, xShape: []int{0, 0}, x: []float64{}, y: []float64{}},
		{name: "header only", file: "a,b\n", opt: CSVOptions{Header: true}, xShape: []int{0, 0}, x: []float64{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := []byte(c.file)
			if c.compressFile {
				b = gz(b)
			}
			x, y, err := ParseCSV("f", b, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(x.Shape, c.xShape) || !slices.Equal(values(x), c.x) || !slices.Equal(x.lines, c.xLines) {
				t.Errorf("x: %v %v lines %v, want %v %v lines %v", x.Shape, values(x), x.lines, c.xShape, c.x, c.xLines)
			}
			switch {
			case c.y == nil && y != nil:
				t.Errorf("y: %v, want none", values(y))
			case c.y != nil && (y == nil || !slices.Equal(values(y), c.y) || !slices.Equal(y.Shape, []int{len(c.y), 1})):
				t.Errorf("y: %v, want %v", y, c.y)
			}
		})
	}
}

// TestCSVErrors feeds ParseCSV malformed tables: each must be refused with
// an error naming the file and the line of the fault.
func TestCSVErrors(t *testing.T) {
	for _, c := range []struct {
		errorCase
		opt CSVOptions
	}{
		{errorCase{"not a number", []byte("1,2\n3,x\n"), 2, 0, `field 2: "x" is not a number`}, CSVOptions{}},
		{errorCase{"empty field", []byte("1,,2\n"), 1, 0, `field 2: "" is not a number`}, CSVOptions{}},
		{errorCase{"hex is not a number", []byte("0x10\n"), 1, 0, `"0x10" is not a number`}, CSVOptions{}},
		{errorCase{"short row", []byte("1,2,3\n\n4,5\n"), 3, 0, "2 fields, want 3 as on line 1"}, CSVOptions{}},
		{errorCase{"long row, whitespace", []byte("1 2\n3 4 5\n"), 2, 0, "3 fields, want 2 as on line 1"}, CSVOptions{Comma: ' '}},
		{errorCase{"label column past the end", []byte("1,2\n"), 1, 0, "label column 3, but the table has 2 columns"}, CSVOptions{Label: 3}},
		{errorCase{"label column before the start", []byte("h\n1,2\n"), 2, 0, "label column -3, but the table has 2 columns"}, CSVOptions{Label: -3, Header: true}},
		{errorCase{"bare quote", []byte("1,2\n3,4\"\n"), 2, 0, "column 4: bare \" in non-quoted-field"}, CSVOptions{}},
		{errorCase{"unterminated quote", []byte("1,\"2\n"), 1, 0, "extraneous or missing \" in quoted-field"}, CSVOptions{}},
		{errorCase{"bad header", []byte("\"a\"b\n1\n"), 1, 0, "column"}, CSVOptions{Header: true}},
		{errorCase{"invalid separator", []byte("1\n"), 1, 0, "invalid field or comment delimiter"}, CSVOptions{Comma: '"'}},
		{errorCase{"corrupt gzip", gz([]byte("1,2\n"))[:12], 0, -1, "the gzip stream is cut short"}, CSVOptions{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ParseCSV("f", c.input, c.opt)
			checkError(t, c.errorCase, err)
		})
	}
}

// FuzzCSV checks that no table and no options make the reader or the
// conversion to a Set panic, and that what is accepted is consistent.
func FuzzCSV(f *testing.F) {
	f.Add([]byte("1,2,0\n3,4,1\n"), byte(','), false, int8(-1))
	f.Add([]byte("a,b\n1.5,\"2\"\r\n"), byte(','), true, int8(1))
	f.Add([]byte("59 2 32.1\n48 1 21.6\n"), byte(' '), false, int8(0))
	f.Add(gz([]byte("1;2;3\n4;5;6\n")), byte(';'), false, int8(2))
	f.Add([]byte("1\t2\n3\t4\n"), byte('\t'), true, int8(-2))
	f.Fuzz(func(t *testing.T, b []byte, comma byte, header bool, label int8) {
		x, y, err := ParseCSV("f", b, CSVOptions{Comma: rune(comma), Header: header, Label: int(label)})
		if err != nil {
			return
		}
		if x.Rows()*x.RowLen() != x.Len() || len(x.lines) != x.Rows() {
			t.Fatalf("x: shape %v, %d values, %d lines", x.Shape, x.Len(), len(x.lines))
		}
		if (label == 0) != (y == nil) || (y != nil && (y.Rows() != x.Rows() || y.Len() != y.Rows())) {
			t.Fatalf("label %d: x %v, y %v", label, x.Shape, y)
		}
		fuzzSet(x)
		if y != nil {
			NewSet[[2]float32, int32](x, y, Options{Classes: 2})
		}
	})
}
