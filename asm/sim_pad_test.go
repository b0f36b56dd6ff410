package asm

import (
	"math"
	"testing"

	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

// padConvs are Pad geometries for the simulator: 1-D runs shorter than a
// vector, of whole vectors, with a partial last vector and long enough to
// loop; 2-D images narrower than a vector, square, wide, and 5×5 kernels.
func padConvs() []*ir.Conv {
	var cs []*ir.Conv
	for _, g := range [][3]int{{5, 3, 1}, {7, 3, 1}, {16, 5, 2}, {64, 5, 2}, {61, 3, 0}, {300, 7, 3}, {512, 5, 2}} { // L, K, p
		for _, c := range []int{1, 3} {
			cs = append(cs, &ir.Conv{C: c, K: g[1], Stride: 1, Pad: g[2], In: []int{g[0]}, Out: []int{g[0] + 2*g[2] - g[1] + 1}})
		}
	}
	for _, g := range [][4]int{{8, 8, 3, 1}, {3, 3, 3, 1}, {5, 7, 3, 1}, {7, 16, 3, 1}, {8, 8, 5, 2}, {4, 20, 3, 1}, {9, 9, 5, 2}, {6, 9, 3, 1}} { // H, W, K, p
		for _, c := range []int{1, 2} {
			cs = append(cs, &ir.Conv{C: c, K: g[2], Stride: 1, Pad: g[3], In: []int{g[0], g[1]}, Out: []int{g[0], g[1]}})
		}
	}
	return cs
}

// TestSimulatedPad runs both paths of the Pad kernel in the simulator:
// every element of the padded channels written, as ir.Conv.PadSteps say
// (applied here in Go), bit for bit, but the borders, which stay as they
// were (the zeroed workspace's zeros) unless the kernel writes them
// (Borders), and nothing else touched.
func TestSimulatedPad(t *testing.T) {
	var es []ir.Elementwise
	for _, c := range padConvs() {
		if len(c.PadSteps()) > ir.MaxPadSteps {
			t.Fatalf("%v: %d moves, more than the kernel takes", c, len(c.PadSteps()))
		}
		for _, dt := range []spec.DType{spec.Float32, spec.Float64} {
			for _, borders := range []bool{false, true} {
				es = append(es, ir.Elementwise{Op: ir.Pad, DType: dt, N: c.PadBlock(), Chans: c.C, Pad: c, Borders: borders})
			}
		}
	}
	f, err := buildAsm(nil, nil, es)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, fn := range f.Functions() {
		for _, e := range es {
			for _, s := range paths {
				if fn.Name != e.Name()+s.name {
					continue
				}
				n++
				es := elemSize(e.DType)
				img := e.Pad.ImageSize()
				src := make([]float64, e.Chans*img)
				for i := range src {
					src[i] = float64(i + 1)
				}
				sentinel := math.Inf(-1)
				want := make([]float64, e.Chans*e.N)
				covered := make([]bool, len(want)) // borders: left as they were
				for i := range want {
					want[i] = sentinel
				}
				for c := 0; c < e.Chans; c++ {
					d, s := want[c*e.N:][:e.N], src[c*img:][:img]
					for _, st := range e.Pad.PadSteps() {
						for i := 0; i < st.N; i++ {
							switch {
							case st.Border && !e.Borders:
								covered[c*e.N+st.Dst+i] = true
							case st.Copy:
								d[st.Dst+i] = s[st.Src+i]
							default:
								d[st.Dst+i] = 0
							}
						}
					}
				}
				for i, v := range want {
					if v == sentinel && !covered[i] {
						t.Fatalf("%s: PadSteps leave element %d unwritten", e.Name(), i)
					}
				}
				dst := make([]float64, len(want))
				for i := range dst {
					dst[i] = sentinel
				}
				mc := newMachine(encode(dst, es), encode(src, es), nil)
				mc.args = mc.args[:2]
				mc.setFrame(mc.frame)
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Fatalf("%s: %v", fn.Name, r)
						}
					}()
					mc.run(fn)
				}()
				got := decode(mc.bytesOf("c"), es)
				for i := range want {
					if !sameFloat(got[i], want[i]) {
						t.Fatalf("%s: element %d = %v, want %v", fn.Name, i, got[i], want[i])
					}
				}
			}
		}
	}
	if n != 2*len(es) {
		t.Fatalf("simulated %d functions, want %d", n, 2*len(es))
	}
}
