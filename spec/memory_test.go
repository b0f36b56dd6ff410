package spec

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMemory counts a small convolutional network's Model by hand: package
// ir's verifier checks the same numbers against the buffers it lowers.
func TestMemory(t *testing.T) {
	m := mustCheck(t, "model m\ninput 1x4x4\nbatch 2\nconv2d 2 kernel=3\nrelu\nconv2d 1 kernel=3\n"+
		"loss mse\noptimizer sgd lr=0.1 momentum=0.9\n")
	// Parameters 18 + 2 and 18 + 1; in training also Grad and the velocity.
	// Input 2·16; conv2d1: output and gradient 2·32 each, columns 9·16
	// (no gradient: it reads the input); relu1: 2·64; conv2d2: output and
	// gradient 2·16 each, columns and their gradient 18·16 each; J. In
	// training each convolution also keeps the batch padded for its weight
	// gradient: C channels an example of 3 copies of (4+2)·4 + 2 = 26
	// elements, each rounded up to 31 and the channel to 96 (PadLayout),
	// 2·96 and 2·192.
	train := Memory{Params: 39 * 3, Work: 32 + (64 + 64 + 144 + 192) + (64 + 64) + (32 + 32 + 288 + 288 + 384) + 1}
	infer := Memory{Params: 39, Work: 32 + (64 + 144) + 64 + (32 + 288)}
	if got := m.Memory(true); got != train {
		t.Errorf("training: %+v, want %+v", got, train)
	}
	if got := m.Memory(false); got != infer {
		t.Errorf("inference: %+v, want %+v", got, infer)
	}
}

// TestLoadRefusesLongFile: a spec file over MaxSpecBytes is refused by its
// size, without being read whole (this one is a 1 GiB sparse file).
func TestLoadRefusesLongFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.nn")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil {
		t.Skip(err)
	}
	f.Close()
	_, err = Load(path)
	want := path + ":1:1: the spec is 1073741824 bytes, over the limit of 1048576"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestPadLayout: copies rounded to one less than a multiple of PadLine
// and channels to a multiple, so that every kernel column's taps start on
// a line; a 1×1 kernel's one copy is not rounded; a layout that would
// outgrow the im2col matrix stays unrounded.
func TestPadLayout(t *testing.T) {
	for _, c := range []struct {
		n, k, c        int
		im2col         int64
		copyLen, block int
	}{
		{82, 3, 8, 72 * 64, 95, 288},   // R4's second convolution
		{26, 3, 1, 144, 31, 96},        // a 4×4 image
		{95, 3, 1, 1000, 95, 288},      // already one less than a multiple
		{16, 1, 4, 64, 16, 16},         // 1×1: the channel only
		{26, 3, 4, 4 * 9 * 16, 31, 96}, // fits: 384 ≤ 576
		{26, 3, 8, 8 * 80, 26, 78},     // 8·96 > 640: unrounded
	} {
		cl, b := PadLayout(c.n, c.k, c.c, c.im2col)
		if cl != c.copyLen || b != c.block {
			t.Errorf("PadLayout(%d, %d, %d, %d) = %d, %d; want %d, %d", c.n, c.k, c.c, c.im2col, cl, b, c.copyLen, c.block)
		}
		if cl == c.copyLen && c.k > 1 && cl != c.n && ((cl+1)%PadLine != 0 || b%PadLine != 0) {
			t.Errorf("PadLayout(%d, …): copy %d, channel %d not on lines", c.n, cl, b)
		}
	}
}
