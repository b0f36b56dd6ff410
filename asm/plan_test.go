package asm

import "testing"

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
