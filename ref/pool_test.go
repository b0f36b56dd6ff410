package ref

import (
	"math/rand/v2"
	"testing"
)

func TestPoolForward(t *testing.T) {
	x1 := []float64{1, 3, 2, 2, 5}
	assertClose(t, "maxpool1d", forwardOne(t, parseNN(t, "1x5", "maxpool1d kernel=2"), nil, x1), []float64{3, 2})
	assertClose(t, "maxpool1d overlapping", forwardOne(t, parseNN(t, "1x5", "maxpool1d kernel=3 stride=1"), nil, x1), []float64{3, 3, 5})
	assertClose(t, "avgpool1d", forwardOne(t, parseNN(t, "1x5", "avgpool1d kernel=2 stride=3"), nil, x1), []float64{2, 3.5})
	// Two channels of 3x3: 0..8 and 9..17 with the middle of the second raised.
	x2 := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 40, 14, 15, 16, 17}
	assertClose(t, "maxpool2d", forwardOne(t, parseNN(t, "2x3x3", "maxpool2d kernel=2 stride=1"), nil, x2),
		[]float64{4, 5, 7, 8, 40, 40, 40, 40})
	assertClose(t, "avgpool2d", forwardOne(t, parseNN(t, "2x3x3", "avgpool2d kernel=2"), nil, x2),
		[]float64{2, (9 + 10 + 12 + 40) / 4.0})
	assertClose(t, "avgpool2d all", forwardOne(t, parseNN(t, "1x3x3", "avgpool2d kernel=3"), nil, x2[:9]), []float64{4})
}

// TestMaxPoolTies checks PyTorch's rule where finite differences cannot:
// among equal maxima the first in row-major order of the window takes the
// gradient, and an element that wins several overlapping windows sums them.
func TestMaxPoolTies(t *testing.T) {
	for _, c := range []struct {
		in, layer  string
		x, v, want []float64
	}{
		{"1x4", "maxpool1d kernel=2 stride=1", []float64{2, 5, 5, 1}, []float64{1, 10, 100}, []float64{0, 11, 100, 0}},
		{"1x4", "maxpool1d kernel=4", []float64{7, 7, 7, 7}, []float64{3}, []float64{3, 0, 0, 0}},
		{"1x3x3", "maxpool2d kernel=2 stride=1", []float64{1, 1, 1, 1, 1, 1, 1, 1, 1}, []float64{1, 2, 3, 4},
			[]float64{1, 2, 0, 3, 4, 0, 0, 0, 0}},
		// The window's second row ties its first row's maximum: the first row wins.
		{"1x2x2", "maxpool2d kernel=2", []float64{0, 3, 3, 3}, []float64{5}, []float64{0, 5, 0, 0}},
	} {
		n := New(parseNN(t, c.in, c.layer))
		dx, _ := n.backprop(n.Forward([][]float64{c.x}), [][]float64{c.v})
		assertClose(t, c.layer+" on "+c.in, dx[0], c.want)
	}
}

func poolCases() []moduleCase {
	return []moduleCase{
		{"maxpool1d", "3x8", []string{"maxpool1d kernel=2"}},
		{"maxpool1d", "2x9", []string{"maxpool1d kernel=3 stride=2"}}, // overlapping
		{"maxpool1d", "2x9", []string{"maxpool1d kernel=2 stride=3"}}, // gaps
		{"maxpool1d", "2x7", []string{"conv1d 3 kernel=3", "maxpool1d kernel=4 stride=1"}},
		{"maxpool2d", "2x4x4", []string{"maxpool2d kernel=2"}},
		{"maxpool2d", "2x5x6", []string{"maxpool2d kernel=3 stride=1"}}, // overlapping
		{"maxpool2d", "1x5x5", []string{"conv2d 2 kernel=3", "maxpool2d kernel=2 stride=2"}},
		{"avgpool1d", "3x8", []string{"avgpool1d kernel=2"}},
		{"avgpool1d", "2x9", []string{"avgpool1d kernel=4 stride=1"}}, // overlapping
		{"avgpool1d", "2x9", []string{"avgpool1d kernel=2 stride=4"}}, // gaps
		{"avgpool2d", "2x4x4", []string{"avgpool2d kernel=2"}},
		{"avgpool2d", "2x5x6", []string{"avgpool2d kernel=3 stride=2"}}, // overlapping
		{"avgpool2d", "1x4x4", []string{"conv2d 2 kernel=3", "avgpool2d kernel=4"}},
	}
}

// TestPoolFD is TestModulesFD for the pooling layers, with windows that
// tile, overlap (stride < K) and leave gaps (stride > K). Random inputs
// have no ties, where max pooling's derivative is undefined.
func TestPoolFD(t *testing.T) {
	worst := worstTable{}
	r := rand.New(rand.NewPCG(3, 4))
	for _, c := range poolCases() {
		m := parseNN(t, c.in, c.lines...)
		t.Run(c.module+"/"+c.in, func(t *testing.T) {
			worst.note(c.module, checkModule(t, r, m))
		})
	}
	t.Logf("worst FD relative error per module:%s", worst)
}
