package ir

import "testing"

// TestPadStepsMeaning applies PadSteps to an image for many geometries (1-D
// any length, kernel and padding; 2-D direct convolutions, images narrower
// and shorter than the kernel included) and checks what the windowed
// product reads: every tap at every output position reads the input
// element under it, or 0 outside the image, and every element of the block
// is written.
func TestPadStepsMeaning(t *testing.T) {
	for l := 1; l <= 70; l++ {
		for k := 1; k <= 11; k++ {
			for _, p := range []int{0, (k - 1) / 2, k - 1} {
				if lout := l + 2*p - k + 1; lout >= 1 {
					checkPadSteps(t, &Conv{C: 1, K: k, Stride: 1, Pad: p, In: []int{l}, Out: []int{lout}})
				}
			}
		}
	}
	for h := 1; h <= 20; h++ {
		for w := 1; w <= 20; w++ {
			for k := 1; k <= 11; k += 2 {
				checkPadSteps(t, &Conv{C: 1, K: k, Stride: 1, Pad: (k - 1) / 2, In: []int{h, w}, Out: []int{h, w}})
			}
		}
	}
}

func checkPadSteps(t *testing.T, c *Conv) {
	t.Helper()
	const unwritten = -1e300
	img := make([]float64, c.ImageSize())
	for i := range img {
		img[i] = float64(i + 1)
	}
	d := make([]float64, c.PadBlock())
	for i := range d {
		d[i] = unwritten
	}
	border := make([]bool, len(d)) // the kernels skip borders: no other step may write them
	for _, st := range c.PadSteps() {
		if st.N <= 0 || st.Dst < 0 || st.Dst+st.N > len(d) || st.Copy && (st.Src < 0 || st.Src+st.N > len(img)) {
			t.Fatalf("%+v: step %+v outside the block or the image", c, st)
		}
		for i := st.Dst; i < st.Dst+st.N; i++ {
			if border[i] || st.Border && d[i] != unwritten {
				t.Fatalf("%+v: element %d of border step %+v written by another step", c, i, st)
			}
			border[i] = st.Border
		}
		for i := 0; i < st.N; i++ {
			d[st.Dst+i] = 0
			if st.Copy {
				d[st.Dst+i] = img[st.Src+i]
			}
		}
	}
	for i, v := range d {
		if v == unwritten {
			t.Fatalf("%+v: element %d unwritten", c, i)
		}
	}
	in := func(y, x int) float64 { // the input at (y, x), 0 outside
		if y < 0 || y >= c.In[0] || x < 0 || x >= c.In[len(c.In)-1] {
			return 0
		}
		return img[y*c.In[len(c.In)-1]+x]
	}
	w, p := c.Window(), c.Pad
	if len(c.In) == 1 {
		for tap := 0; tap < c.K; tap++ {
			for j := 0; j < c.Out[0]; j++ {
				if got, want := d[w.Offset(tap)+j], in(0, j+tap-p); got != want {
					t.Fatalf("%+v: tap %d at %d reads %v, want %v", c, tap, j, got, want)
				}
			}
		}
		return
	}
	h, wd := c.In[0], c.In[1]
	for kh := 0; kh < c.K; kh++ {
		for kw := 0; kw < c.K; kw++ {
			for y := 0; y < h; y++ {
				for x := 0; x < wd; x++ {
					i := w.Offset(kh*c.K+kw) + y*wd + x
					if i >= len(d) {
						t.Fatalf("%+v: tap (%d, %d) at (%d, %d) reads %d, past the block", c, kh, kw, y, x, i)
					}
					if got, want := d[i], in(y+kh-p, x+kw-p); got != want {
						t.Fatalf("%+v: tap (%d, %d) at (%d, %d) reads %v, want %v", c, kh, kw, y, x, got, want)
					}
				}
			}
		}
	}
}
