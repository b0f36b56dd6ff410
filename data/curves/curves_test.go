package curves

import (
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestWritePNG(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name   string
		points []Point
		width  int // two panels for a classifier, one for a regression
	}{
		{"classifier", []Point{{1, 0.9, 0.5, 0.90}, {2, 0.4, 0.3, 0.95}, {3, 0.2, 0.25, 0.97}}, 960},
		{"regression", []Point{{1, 0.9, 0.8, nan}, {2, 0.5, 0.6, nan}}, 480},
		{"one epoch, no test", []Point{{1, 0.9, nan, nan}}, 480},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "curves.png")
			if err := WritePNG(path, "test", c.points); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := png.Decode(f)
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if b := img.Bounds(); b.Dx() != c.width || b.Dy() != 336 {
				t.Errorf("%dx%d pixels, want %dx336", b.Dx(), b.Dy(), c.width)
			}
			if colours(img) < 3 {
				t.Errorf("%d colours: nothing drawn", colours(img))
			}
		})
	}
}

func TestWritePNGErrors(t *testing.T) {
	if err := WritePNG(filepath.Join(t.TempDir(), "c.png"), "t", nil); err == nil {
		t.Error("no epochs: no error")
	}
	if err := WritePNG(filepath.Join(t.TempDir(), "no", "c.png"), "t", []Point{{1, 1, 1, 1}}); err == nil {
		t.Error("a missing folder: no error")
	}
}

// colours counts the distinct colours of img, up to 100.
func colours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y && len(seen) < 100; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}
