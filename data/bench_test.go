package data

import "testing"

// BenchmarkNewSetImages converts MNIST's training images: 60,000 rows of
// 784 grey levels to float32 in [0, 1].
func BenchmarkNewSetImages(b *testing.B) {
	pixels := make([]byte, 60000*784)
	for i := range pixels {
		pixels[i] = byte(i * 7919 >> 3)
	}
	x, err := ParseIDX("x", idx(0x08, []uint32{60000, 784}, pixels))
	if err != nil {
		b.Fatal(err)
	}
	y, err := ParseIDX("y", idx(0x08, []uint32{60000}, make([]byte, 60000)))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(pixels)))
	for b.Loop() {
		if _, err := NewSet[[784]float32, int32](x, y, Options{Scale: 1.0 / 255, Classes: 10}); err != nil {
			b.Fatal(err)
		}
	}
}
