// Package weights reads and writes the weights of a network on nngen's side,
// with the codec that every generated package carries a copy of (codec.go,
// copied by gen as NAME_codec.go): safetensors (PyTorch's names, F16, BF16,
// F32, F64) and nngen's own weights file and checkpoint container.
//
// nngen uses it at generation time (`nngen gen -weights FILE`) to check a
// trained file against the spec and to write the copy a package embeds.
package weights

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/nngen/nngen/internal/header"
	"github.com/nngen/nngen/spec"
)

// CodecSource is codec.go itself, for the generator to copy.
//
//go:embed codec.go
var CodecSource string

// Codec returns CodecSource as a file of package pkg under header.
func Codec(header, pkg string) []byte {
	body := CodecSource[strings.Index(CodecSource, "\n")+1:] // drop "package weights"
	return []byte(header + "\n\npackage " + pkg + "\n" + body)
}

// Name is the safetensors name of a parameter: its layer's ID (name= or
// kind + ordinal) and PyTorch's "weight" (W, γ) or "bias" (b, β).
func Name(p *spec.Param) string {
	if p.Role == spec.RoleB || p.Role == spec.RoleBeta {
		return p.Layer.ID + ".bias"
	}
	return p.Layer.ID + ".weight"
}

// Table is m's tensors in Params order.
func Table(m *spec.Model) []tensorSpec {
	out := make([]tensorSpec, len(m.Params))
	for i, p := range m.Params {
		out[i] = tensorSpec{name: Name(p), shape: p.Shape}
	}
	return out
}

// Marker is the metadata key and value that mark a safetensors file written
// by nngen gen, so that gen recognises the file as its own.
const (
	MarkerKey   = "generated_by"
	MarkerValue = header.Text
)

// Canonical reads a trained weights file for m, an nngen weights file or a
// safetensors file told apart by content, checks every tensor against m
// (one error listing every problem), and returns it as the safetensors file
// a generated package embeds: m's names, m's dtype, marked as generated.
func Canonical(m *spec.Model, data []byte) ([]byte, error) {
	if m.DType == spec.Float64 {
		return canonical[float64](m, data)
	}
	return canonical[float32](m, data)
}

func canonical[T float32 | float64](m *spec.Model, data []byte) ([]byte, error) {
	want := Table(m)
	vals := make([][]T, len(want))
	for i, t := range want {
		n, err := numel(t.shape)
		if err != nil {
			return nil, err
		}
		vals[i] = make([]T, n)
	}
	var err error
	if len(data) >= 4 && string(data[:4]) == "NNGN" {
		err = readWeights(data, want, LayoutV1(m), vals)
	} else {
		err = readSafetensors(data, want, vals)
	}
	if err != nil {
		return nil, err
	}
	return encodeSafetensors(want, vals, map[string]string{"format": "pt", MarkerKey: MarkerValue}), nil
}

// LayoutV1 is the FNV-1a hash of every parameter's Go name and shape that
// version 1 weights files carry.
func LayoutV1(m *spec.Model) uint64 {
	h := uint64(14695981039346656037)
	for _, p := range m.Params {
		for _, c := range []byte(fmt.Sprintf("%s %s\n", p.Name, p.Shape)) {
			h ^= uint64(c)
			h *= 1099511628211
		}
	}
	return h
}

// Tensor is one tensor of a file, its values converted to float64.
type Tensor struct {
	Shape  []int
	Values []float64
}

// ReadSafetensors returns every tensor of a safetensors file (F16, BF16,
// F32 or F64) by name, for tools and tests on nngen's side.
func ReadSafetensors(data []byte) (map[string]Tensor, error) {
	ts, err := parseSafetensors(data)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Tensor, len(ts))
	for i := range ts {
		t := &ts[i]
		size := elemSize(t.dtype)
		if size == 0 {
			return nil, fmt.Errorf("safetensors: tensor %q has dtype %s: F16, BF16, F32 or F64 are read", t.name, t.dtype)
		}
		vals := make([]float64, len(t.data)/size)
		for j := range vals {
			vals[j] = decodeValue[float64](t, j)
		}
		out[t.name] = Tensor{Shape: t.shape, Values: vals}
	}
	return out, nil
}
