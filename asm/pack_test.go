package asm

import "testing"

// TestPackedKernelsPack: the packed() test products really take the packing
// path, so the conformance and simulator tests cover it.
func TestPackedKernelsPack(t *testing.T) {
	for _, m := range packed() {
		for _, s := range paths {
			k := newKB(nil, m, s, &maskTable{})
			if k.packBytes(planBcast(s, k.lanes, m.M, m.N, m.K, m.Accumulate, !m.TransA, true)) == 0 {
				t.Errorf("%s%s does not pack", m.Name(), s.name)
			}
		}
	}
}
