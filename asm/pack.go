package asm

// Packing: when B's row stride is a multiple of 2 KiB (N = 512, 1024, 4096
// float32s...), the K rows of a B panel fall into the same few L1 sets and
// evict each other: an NN product with N=1024 ran at 34% of peak against
// 81% at N=1000. The broadcast form then copies each panel, K rows × w
// vectors, into a contiguous buffer on the stack and runs its tiles from
// there. The copy costs about 4/M of the panel's FMA time, so few rows do
// not pay for it (TN10x1024x32 fell from 76% to 54% packed).

const (
	aliasStride = 2048      // row strides that are multiples of this alias in L1
	maxPack     = 16 * 1024 // largest stack buffer; bigger panels run unpacked
	minPackRows = 24        // fewer rows of C do not amortise the copy
)

// packBytes is the stack buffer the plan needs, 0 for none.
func (k *kb) packBytes(p bplan) int {
	rowB := k.m.N * k.esize
	if k.m.Windowed() || k.m.K < 2 || k.m.M < minPackRows || rowB%aliasStride != 0 {
		return 0
	}
	w := 0
	for _, g := range p.groups {
		w = max(w, g.w)
	}
	if n := k.m.K * w * k.s.vecBytes; n <= maxPack {
		return n
	}
	return 0
}

// packPanel copies the panel of w vectors at regBPanel (masked last vector
// zero-filled) into the stack buffer, row k at k·w vectors.
func (k *kb) packPanel(w int, masked bool) {
	tmp := k.s.vec(0)
	k.MOVQ(regBPanel, regBWalk)
	k.leaPack(regAWalk)
	k.countLoop("pack", regKCnt, k.m.K, func() {
		for v := 0; v < w; v++ {
			m := mem(regBWalk, v*k.s.vecBytes)
			if masked && v == w-1 {
				k.maskedLoad(m, k.maskReg(), tmp)
			} else {
				k.vload(m, tmp)
			}
			k.vstore(tmp, mem(regAWalk, v*k.s.vecBytes))
		}
		k.addq(k.m.N*k.esize, regBWalk)
		k.addq(w*k.s.vecBytes, regAWalk)
	})
}
