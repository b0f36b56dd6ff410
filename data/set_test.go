package data

import (
	"slices"
	"testing"
)

func TestNewSet(t *testing.T) {
	images, err := ParseIDX("images", idx(0x08, []uint32{3, 2, 2}, []byte{0, 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8}))
	if err != nil {
		t.Fatal(err)
	}
	labels, err := ParseIDX("labels", idx(0x08, []uint32{3}, []byte{2, 0, 1}))
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSet[[4]float32, int32](images, labels, Options{Scale: 1.0 / 255, Classes: 3})
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 3 || s.X[0] != [4]float32{0, 1, 0.2, 0.4} || !slices.Equal(s.Y, []int32{2, 0, 1}) {
		t.Errorf("got %v %v", s.X, s.Y)
	}
	// Nested arrays are filled row-major, as the file stores them.
	nested, err := NewSet[[1][2][2]float64, [1]float64](images, labels, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if nested.X[1] != [1][2][2]float64{{{1, 2}, {3, 4}}} || nested.Y[0] != [1]float64{2} {
		t.Errorf("got %v %v", nested.X, nested.Y)
	}
}

// TestPixelScale checks that Scale 1/255 gives exactly float32(g)/255, the
// division in float32 the MNIST example used before this package.
func TestPixelScale(t *testing.T) {
	grey := make([]byte, 256)
	for g := range grey {
		grey[g] = byte(g)
	}
	x, _ := ParseIDX("x", idx(0x08, []uint32{1, 256}, grey))
	y, _ := ParseIDX("y", idx(0x08, []uint32{1}, []byte{0}))
	s, err := NewSet[[256]float32, int32](x, y, Options{Scale: 1.0 / 255})
	if err != nil {
		t.Fatal(err)
	}
	for g, v := range s.X[0] {
		if v != float32(g)/255 {
			t.Errorf("grey %d: %v, want %v", g, v, float32(g)/255)
		}
	}
}

// into converts x and y to a Set[X, Y], for a table of cases of several types.
func into[X, Y any](x, y *Tensor, opt Options) error {
	_, err := NewSet[X, Y](x, y, opt)
	return err
}

// TestNewSetErrors checks that NewSet refuses what does not fit X and Y,
// naming the file and the position of the value or the shape.
func TestNewSetErrors(t *testing.T) {
	csvX := func(s string) *Tensor {
		x, _, err := ParseCSV("f", []byte(s), CSVOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	bin := func(typ byte, dims []uint32, data []byte) *Tensor {
		x, err := ParseIDX("f", idx(typ, dims, data))
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	scalar, err := ParseNPY("f", npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': ()}", []byte{1}))
	if err != nil {
		t.Fatal(err)
	}
	two, labels := csvX("1,2\n3,4\n"), csvX("0\n1\n")
	images := bin(0x08, []uint32{2, 2}, []byte{1, 2, 3, 4})
	for _, c := range []struct {
		name    string
		convert func(x, y *Tensor, opt Options) error
		x, y    *Tensor
		opt     Options
		line    int
		offset  int64
		msg     string
	}{
		{"row too long", into[[1]float32, int32], two, labels, Options{}, 1, 0, "shape 2x2: rows of 2 values, but [1]float32 holds 1"},
		{"row too short", into[[2]float32, [2]int32], two, labels, Options{}, 1, 0, "rows of 1 values, but [2]int32 holds 2"},
		{"IDX shape", into[[3]float32, int32], bin(0x08, []uint32{1, 2, 2}, []byte{1, 2, 3, 4}), labels, Options{}, 0, 4, "shape 1x2x2: rows of 4 values, but [3]float32 holds 3"},
		{"fewer labels", into[[2]float32, int32], two, csvX("0\n"), Options{}, 1, 0, "1 rows, but f has 2"},
		{"empty table", into[[2]float32, int32], csvX(""), csvX(""), Options{}, 1, 0, "shape 0x0: rows of 0 values"},
		{"no rows", into[[2]float32, int32], bin(0x08, []uint32{0, 2}, nil), bin(0x08, []uint32{0}, nil), Options{}, 0, 4, "no examples"},
		{"scalar", into[float32, int32], scalar, scalar, Options{}, 0, 60, "a single number (a scalar), not a list of examples"},
		{"NaN", into[[2]float32, int32], csvX("1,2\n3,NaN\n"), labels, Options{}, 2, 0, "NaN is not a finite number (row 1)"},
		{"float32 overflow", into[[2]float32, int32], csvX("1,2\n3,1e39\n"), labels, Options{}, 2, 0, "1e+39 overflows float32"},
		{"overflow by scale", into[[1]float32, int32], bin(0x08, []uint32{1, 1}, []byte{2}), bin(0x08, []uint32{1}, []byte{0}), Options{Scale: 1e300}, 0, 12, "2e+300 overflows float32"},
		{"label not an integer", into[[2]float32, int32], two, csvX("0\n1.5\n"), Options{}, 2, 0, "1.5 is not an int32"},
		{"label too big for int32", into[[2]float32, int32], two, csvX("0\n3e9\n"), Options{}, 2, 0, "3e+09 is not an int32"},
		{"label not a class", into[[2]float32, int32], images, bin(0x08, []uint32{2}, []byte{9, 10}), Options{Classes: 10}, 0, 9, "label 10 is not a class in [0, 10) (row 1)"},
		{"label not a class, text", into[[2]float32, int32], two, csvX("0\n10\n"), Options{Classes: 10}, 2, 0, "label 10 is not a class in [0, 10) (row 1)"},
		{"negative class", into[[2]float32, float32], two, csvX("0\n-1\n"), Options{Classes: 2}, 2, 0, "label -1 is not a class in [0, 2)"},
		{"grey level too bright", into[[2]float32, int32], bin(0x08, []uint32{2, 2}, []byte{1, 2, 3, 255}), labels, Options{Scale: 1e37}, 0, 15, "2.55e+39 overflows float32 (row 1)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkError(t, errorCase{c.name, nil, c.line, c.offset, c.msg}, c.convert(c.x, c.y, c.opt))
		})
	}
}

// TestNewSetTypes checks that a type that is not numbers is refused.
func TestNewSetTypes(t *testing.T) {
	x, _, _ := ParseCSV("f", []byte("1\n"), CSVOptions{})
	if _, err := NewSet[[1]string, int32](x, x, Options{}); err == nil {
		t.Error("[1]string accepted")
	}
	if _, err := NewSet[[1]float32, uint8](x, x, Options{}); err == nil {
		t.Error("uint8 accepted")
	}
	if _, err := NewSet[struct{ A float32 }, int32](x, x, Options{}); err == nil {
		t.Error("a struct accepted")
	}
}

func TestSplit(t *testing.T) {
	s := &Set[[1]float32, int32]{}
	for i := range 1797 {
		s.X = append(s.X, [1]float32{float32(i)})
		s.Y = append(s.Y, int32(i))
	}
	train, test := s.Split(0.25, 1)
	if train.Len() != 1348 || test.Len() != 449 {
		t.Fatalf("split %d/%d, want 1348/449", train.Len(), test.Len())
	}
	seen := make([]int, s.Len())
	for _, part := range []*Set[[1]float32, int32]{train, test} {
		for i, y := range part.Y {
			seen[y]++
			if part.X[i][0] != float32(y) {
				t.Fatalf("example %d: input %v with target %d", i, part.X[i], y)
			}
		}
	}
	for i, n := range seen {
		if n != 1 {
			t.Fatalf("example %d is in %d of the two sets", i, n)
		}
	}
	again, _ := s.Split(0.25, 1)
	other, _ := s.Split(0.25, 2)
	if !slices.Equal(again.Y, train.Y) || slices.Equal(other.Y, train.Y) {
		t.Error("the split does not depend on the seed alone")
	}
	if a, b := s.Split(0, 1); a.Len() != 1797 || b.Len() != 0 {
		t.Errorf("Split(0): %d/%d", a.Len(), b.Len())
	}
}
