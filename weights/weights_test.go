package weights

import (
	"bytes"
	"strings"
	"testing"

	"github.com/nngen/nngen/spec"
)

const specText = `model tiny
input 3
dense 2 name=fc
layernorm
dense 1
loss mse
optimizer sgd lr=0.1
`

func tiny(t *testing.T) *spec.Model {
	t.Helper()
	m, err := spec.ParseAndCheck("tiny.nn", []byte(specText))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestNames(t *testing.T) {
	var got []string
	for _, ts := range Table(tiny(t)) {
		got = append(got, ts.name+shapeString(ts.shape))
	}
	want := "fc.weight[2 3] fc.bias[2] layernorm1.weight[] layernorm1.bias[] dense2.weight[1 2] dense2.bias[1]"
	if strings.Join(got, " ") != want {
		t.Errorf("names %q, want %q", strings.Join(got, " "), want)
	}
}

// TestCanonical reads safetensors and nngen weights files (both versions)
// into the same canonical file, and lists every problem of a wrong one.
func TestCanonical(t *testing.T) {
	m := tiny(t)
	want := Table(m)
	vals := [][]float32{{1, 2, 3, 4, 5, 6}, {7, 8}, {1.5}, {-0.5}, {9, 10}, {11}}
	st := encodeSafetensors(want, vals, nil)
	c1, err := Canonical(m, st)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := Canonical(m, encodeContainer("NNGN", 2, "", want, vals))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c1, c2) || !bytes.Contains(c1, []byte(MarkerValue)) {
		t.Errorf("canonical files differ or lack the marker:\n%q\n%q", c1, c2)
	}
	// A scalar stored as [1], as PyTorch may, is accepted.
	alt := append([]tensorSpec(nil), want...)
	alt[2] = tensorSpec{alt[2].name, []int{1}}
	if _, err := Canonical(m, encodeSafetensors(alt, vals, nil)); err != nil {
		t.Errorf("scalar as [1]: %v", err)
	}
	alt[0] = tensorSpec{"fc.weight", []int{3, 2}}
	alt[5] = tensorSpec{"out.bias", []int{1}}
	_, err = Canonical(m, encodeSafetensors(alt, vals, nil))
	for _, part := range []string{"fc.weight has shape [3 2], want [2 3]", "missing dense2.bias [1]", "extra out.bias [1]"} {
		if err == nil || !strings.Contains(err.Error(), part) {
			t.Errorf("error %v does not mention %q", err, part)
		}
	}
}

func TestNaturalOrder(t *testing.T) {
	names := []string{"10.bias", "2.weight", "10.weight", "2.bias", "0.weight"}
	want := "0.weight 2.weight 2.bias 10.weight 10.bias"
	for i := range names {
		for j := i + 1; j < len(names); j++ {
			if naturalLess(names[j], names[i]) {
				names[i], names[j] = names[j], names[i]
			}
		}
	}
	if got := strings.Join(names, " "); got != want {
		t.Errorf("natural order %q, want %q", got, want)
	}
}

// FuzzSafetensors: no file makes the parser panic or allocate beyond its
// header, and whatever reads into the tiny network survives a round trip.
func FuzzSafetensors(f *testing.F) {
	f.Add(encodeSafetensors([]tensorSpec{{"a", []int{2}}}, [][]float32{{1, 2}}, map[string]string{"k": "v"}))
	f.Add([]byte("\x02\x00\x00\x00\x00\x00\x00\x00{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, err := parseSafetensors(data)
		if err != nil {
			return
		}
		dst := [][]float64{make([]float64, 2)}
		got, err := matchTensors(ts, []tensorSpec{{"a", []int{2}}})
		if err != nil || decodeTensors(dst, got) != nil {
			return
		}
		again := encodeSafetensors([]tensorSpec{{"a", []int{2}}}, dst, nil)
		ts2, err := parseSafetensors(again)
		if err != nil || len(ts2) != 1 {
			t.Fatalf("re-encoded file does not parse: %v", err)
		}
	})
}

func FuzzContainer(f *testing.F) {
	f.Add(encodeContainer("NNCK", 1, "meta", []tensorSpec{{"a", []int{2}}}, [][]float32{{1, 2}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		meta, ts, err := parseContainer[float32](data, "checkpoint", "NNCK", 1)
		if err != nil {
			return
		}
		vals := make([][]float32, len(ts))
		specs := make([]tensorSpec, len(ts))
		for i, t := range ts {
			specs[i] = tensorSpec{t.name, t.shape}
			vals[i] = make([]float32, len(t.data)/4)
		}
		got, err := matchTensors(ts, specs)
		if err != nil || decodeTensors(vals, got) != nil {
			return
		}
		if again := encodeContainer("NNCK", 1, meta, specs, vals); !bytes.Equal(again, data) {
			t.Error("an accepted container does not re-encode to itself")
		}
	})
}
