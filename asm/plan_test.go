package asm

import (
	"strings"
	"testing"

	"github.com/nngen/nngen/ir"
	"github.com/nngen/nngen/spec"
)

// TestPlanBcastCovers: the panels cover N exactly and every tile fits the
// register file, for awkward shapes on both paths.
func TestPlanBcastCovers(t *testing.T) {
	for _, s := range paths {
		for _, esize := range []int{4, 8} {
			lanes := s.lanes(esize)
			for _, n := range []int{1, 3, 7, 15, 16, 17, 31, 33, 127, 129, 784} {
				p := planBcast(s, lanes, 32, n, 64, false, true, true)
				cols := 0
				for _, g := range p.groups {
					cols += g.count*((g.w-1)*lanes+g.tail) - g.back
					if g.mr < 1 || bcastRegs(s, g.mr, g.w, g.tail < lanes, true) > s.nregs {
						t.Errorf("%s N=%d: group %+v mr=%d has a bad row count", s.name, n, g, g.mr)
					}
				}
				if cols != n {
					t.Errorf("%s esize %d N=%d: plan %+v covers %d columns", s.name, esize, n, p, cols)
				}
			}
		}
	}
}

func TestPlanDotFits(t *testing.T) {
	for _, s := range paths {
		for _, mn := range [][2]int{{1, 1}, {1, 128}, {32, 10}, {32, 128}, {129, 3}} {
			p := planDot(s, s.lanes(4), 4, mn[0], mn[1], 64, 4, false, true, 0, 0, nil)
			if p.mr < 1 || p.nr < 1 || p.mr > mn[0] || p.nr > mn[1] || dotRegs(s, p.mr, p.nr, 4) > s.nregs {
				t.Errorf("%s %v: bad plan %+v", s.name, mn, p)
			}
		}
	}
}

// TestPlanDotShares: a tile another kernel calls is taken when the model
// rates it within reuseBonus of the best and it divides C evenly, and not
// otherwise (R2's NT32x10x128 on AVX-512: 1×10 shared, 2×10 its own).
func TestPlanDotShares(t *testing.T) {
	one := func(mr, nr int) func(int, int) bool {
		return func(r, c int) bool { return r == mr && c == nr }
	}
	for _, c := range []struct {
		M, N, K int
		have    func(int, int) bool
		mr, nr  int
	}{
		{32, 10, 128, nil, 2, 10},
		{32, 10, 128, one(1, 10), 1, 10},
		{32, 10, 128, one(1, 9), 2, 10}, // 10 columns in blocks of 9: uneven
		{32, 128, 784, one(1, 1), 2, 8}, // far worse than the best
		{32, 128, 784, one(2, 8), 2, 8}, // the best, shared or not
	} {
		p := planDot(avx512, 16, 4, c.M, c.N, c.K, 4, true, true, 0, 0, c.have)
		if p.mr != c.mr || p.nr != c.nr {
			t.Errorf("NT%dx%dx%d: %d×%d tiles, want %d×%d", c.M, c.N, c.K, p.mr, p.nr, c.mr, c.nr)
		}
	}
}

// TestSharingKeepsTheForm: a tile shared with another kernel never moves a
// product to the transposed form, which competes with its best dot tile
// (NT8x48x128 on AVX2 keeps its frameless dot driver beside NT1x8x8,
// whose 1×8 tile it could share).
func TestSharingKeepsTheForm(t *testing.T) {
	big := ir.Matmul{DType: spec.Float32, M: 8, N: 48, K: 128, TransB: true}
	small := ir.Matmul{DType: spec.Float32, M: 1, N: 8, K: 8, TransB: true}
	text := func(ks ...ir.Matmul) string {
		files, err := Emit("p", "p_", ks, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		return string(files["p_"+FileAsm])
	}
	head := func(s string) string {
		i := strings.Index(s, "TEXT ·"+big.Name()+"AVX2(SB)")
		if i < 0 {
			t.Fatal("no AVX2 function for " + big.Name())
		}
		return s[i : i+strings.Index(s[i:], "\n")]
	}
	if alone, both := head(text(big)), head(text(big, small)); alone != both {
		t.Errorf("%s beside %s: %q, alone %q", big.Name(), small.Name(), both, alone)
	}
}
