package main

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/nngen/nngen/spec"
	"github.com/nngen/nngen/weights"
)

// batch is verify's random data, rounded to the model's dtype so that the
// generated code and the reference see exactly the same numbers.
type batch struct {
	x, y [][]float64
}

// randomBatch draws inputs uniform in [−1, 1) and targets: a class, a 0/1
// label, or an output vector uniform in [−1, 1).
func randomBatch(m *spec.Model, seed uint64) batch {
	r := rand.New(rand.NewPCG(seed, 0x6e6e67656e))
	round := func(v float64) float64 {
		if m.DType == spec.Float32 {
			return float64(float32(v))
		}
		return v
	}
	var b batch
	for i := 0; i < m.Batch; i++ {
		x := make([]float64, m.Input.Size())
		for j := range x {
			x[j] = round(2*r.Float64() - 1)
		}
		b.x = append(b.x, x)
		var y []float64
		switch m.Loss {
		case spec.CrossEntropy:
			y = []float64{float64(r.IntN(m.Output.Size()))}
		case spec.Logistic:
			y = []float64{float64(r.IntN(2))}
		default:
			for j := 0; j < m.Output.Size(); j++ {
				y = append(y, round(2*r.Float64()-1))
			}
		}
		b.y = append(b.y, y)
	}
	return b
}

// encode is the harness's input: seed, inputs, targets.
func (b batch) encode(seed uint64) []byte {
	buf := binary.LittleEndian.AppendUint64(nil, seed)
	for _, rows := range [][][]float64{b.x, b.y} {
		for _, row := range rows {
			for _, v := range row {
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
			}
		}
	}
	return buf
}

type record struct {
	kind byte
	data []byte
}

// parseRecords reads the harness's output.
func parseRecords(b []byte) (map[string]record, []string, error) {
	recs, order := map[string]record{}, []string(nil)
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, nil, fmt.Errorf("harness output truncated")
		}
		n := int(binary.LittleEndian.Uint32(b))
		if len(b) < 4+n+5 {
			return nil, nil, fmt.Errorf("harness output truncated")
		}
		name, kind := string(b[4:4+n]), b[4+n]
		b = b[4+n+1:]
		size := int(binary.LittleEndian.Uint32(b))
		if len(b) < 4+size {
			return nil, nil, fmt.Errorf("harness output truncated in %q", name)
		}
		recs[name] = record{kind, b[4 : 4+size]}
		order = append(order, name)
		b = b[4+size:]
	}
	return recs, order, nil
}

func (r record) floats() []float64 {
	v := make([]float64, len(r.data)/8)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(r.data[8*i:]))
	}
	return v
}

// params splits the parameters, written by the harness as safetensors,
// into their tensors, in m.Params order.
func (r record) params(m *spec.Model) ([][]float64, error) {
	ts, err := weights.ReadSafetensors(r.data)
	if err != nil {
		return nil, err
	}
	out := make([][]float64, len(m.Params))
	for i, p := range m.Params {
		t, ok := ts[weights.Name(p)]
		if !ok || len(t.Values) != p.Shape.Size() {
			return nil, fmt.Errorf("parameters: tensor %s missing or of the wrong size", weights.Name(p))
		}
		out[i] = t.Values
	}
	return out, nil
}
