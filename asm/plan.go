package asm

// The planner picks register tiles from the compiled-in shape with a small
// cycle model (see isa.go): a tile costs max(FMA issue, loads, FMA latency)
// per k step plus its epilogue. Decisions live here; the emitters only
// follow the plan.

// colGroup is a run of equal column panels of the broadcast form.
type colGroup struct {
	count int // panels in the group
	w     int // vectors per panel
	tail  int // lanes of each panel's last vector (== lanes when full)
	mr    int // rows per tile
	back  int // columns the last panel steps back to end at N (overlapping tiles)
}

// bplan is the broadcast form's plan: column panel groups left to right.
// overlap: tiles overlap to end at C's edges (planBcast).
type bplan struct {
	groups  []colGroup
	overlap bool
}

// planBcast tiles C = op(A)·B for the NN and TN forms; strided says A's
// rows are regStrA apart (NN), which limits tiles to maxStridedRows rows.
// Where C is overwritten and B plain (overlap), the last tile of a panel
// steps back to end at C's last row, and the last panel may too, at its
// last column: every panel is then of one tile shape. Otherwise a
// remainder panel gets tiles of its own, a micro-kernel more, which must
// be codeSlack faster to be chosen.
func planBcast(s isa, lanes, M, N, K int, acc, strided, fused bool) bplan {
	best, bestCost := bplan{}, -1.0
	overlap := !acc && fused
	nvec := (N + lanes - 1) / lanes
	// A remainder panel's extra micro-kernel for its remainder rows is
	// weighed against the whole product: the panel is a small share of it.
	penalty := codeSlack * float64(M*N*K) / float64(lanes*fmaPerCycle)
	for w := 1; w <= nvec && w <= s.nregs/2; w++ {
		layouts := [][]colGroup{panelsOf(nvec, w, N%lanes, lanes)}
		if overlap && N >= w*lanes && N%(w*lanes) > 0 {
			count := (N + w*lanes - 1) / (w * lanes)
			layouts = append(layouts, []colGroup{{count: count, w: w, tail: lanes, back: count*w*lanes - N}})
		}
		for _, gs := range layouts {
			p := bplan{overlap: overlap}
			for _, g := range gs {
				pen := 0.0
				if g.count == 1 && len(gs) > 1 {
					pen = penalty
				}
				g.mr = bestRows(s, g, g.tail < lanes, M, K, acc, strided, fused, overlap, pen)
				if g.mr == 0 {
					p.groups = nil
					break
				}
				p.groups = append(p.groups, g)
			}
			if p.groups == nil {
				continue
			}
			c := p.rated(s, M, K, acc)
			if bestCost < 0 || c < bestCost {
				best, bestCost = p, c
			}
		}
	}
	return best
}

// panelsOf splits nvec vectors into panels of w; the panel holding the
// partial last vector (tl lanes, 0 if none) is its own group.
func panelsOf(nvec, w, tl, lanes int) []colGroup {
	q, r := nvec/w, nvec%w
	var gs []colGroup
	add := func(count, w, tail int) {
		if count > 0 && w > 0 {
			gs = append(gs, colGroup{count: count, w: w, tail: tail})
		}
	}
	switch {
	case tl == 0:
		add(q, w, lanes)
		add(1, r, lanes)
	case r == 0:
		add(q-1, w, lanes)
		add(1, w, tl)
	default:
		add(q, w, lanes)
		add(1, r, tl)
	}
	return gs
}

// bcastRegs is the vector registers a broadcast-form tile needs; fused:
// a single row reads B in its FMAs (stepRow; every product but a windowed
// one), so it holds no B vectors.
func bcastRegs(s isa, mr, w int, masked, fused bool) int {
	n := mr*w + w
	if mr == 1 && fused {
		n = w + 1 // B read in the FMAs (stepRow), one register for a masked vector
	}
	if !s.bcastMem {
		n++ // broadcast register
	}
	if masked && !s.opmask {
		n++ // VMASKMOVPS mask
	}
	return n
}

// bestRows picks the row count of the group's tiles, 0 if none fits.
func bestRows(s isa, g colGroup, masked bool, M, K int, acc, strided, fused, overlap bool, penalty float64) int {
	best, bestCost := 0, -1.0
	for mr := 1; mr <= M && bcastRegs(s, mr, g.w, masked, fused) <= s.nregs && (!strided || mr <= maxStridedRows); mr++ {
		c := rowsCost(s, mr, g.w, M, K, acc, overlap)
		if M%mr > 0 && !overlap {
			c += penalty
		}
		if bestCost < 0 || c < bestCost {
			best, bestCost = mr, c
		}
	}
	return best
}

// sizeFactor weighs a plan that calls n more micro-kernels than the
// simplest: among plans the model rates within codeSlack of each other, the
// one with fewer tile shapes wins, as every micro-kernel is code a reviewer
// reads (the model is no finer than that).
func sizeFactor(n int) float64 {
	f := 1.0
	for ; n > 0; n-- {
		f *= 1 + codeSlack
	}
	return f
}

const codeSlack = 0.03

// loadDrag is the share of a tile's load cycles that the FMAs do not hide.
const loadDrag = 0.05

// The costs round every product to float64 before adding it (float64(x*y)):
// Go may fuse x*y + z into one FMA on some targets (GOAMD64=v3, arm64), and
// the plans, compared to the last bit, must not depend on nngen's build.

// rowsCost models a panel's row tiles; overlap: the rows left over run as
// one more whole tile.
func rowsCost(s isa, mr, w, M, K int, acc, overlap bool) float64 {
	c := float64(float64(M/mr) * bcastTile(mr, w, K, acc))
	switch {
	case M%mr == 0:
	case overlap:
		c += bcastTile(mr, w, K, acc)
	default:
		c += bcastTile(M%mr, w, K, acc)
	}
	return c
}

// rated is the plan's cost weighed by its tile shapes (sizeFactor): what
// plans are compared by.
func (p bplan) rated(s isa, M, K int, acc bool) float64 {
	return p.cost(s, M, K, acc) * sizeFactor(len(p.groups)-1)
}

func (p bplan) cost(s isa, M, K int, acc bool) float64 {
	c := 0.0
	for _, g := range p.groups {
		c += float64(float64(g.count) * rowsCost(s, g.mr, g.w, M, K, acc, p.overlap))
	}
	return c
}

// bcastTile models one mr×w tile: per k, mr·w FMAs, w+mr loads, which
// slow it slightly even where the FMAs bound it (loadDrag: among tiles
// that keep the FMA pipes busy, the one loading least per FMA wins). It takes
// twelve accumulators, not the eight of two FMA pipes of latency 4, to
// keep the pipes busy (the FMAs also wait on the broadcasts): measured on
// Zen 5, AVX2 NN32x64x64 ran 4×24 tiles 1.13× faster than 5×16 and 1.07×
// faster than 4×16, and R5's windowed 4×24 tiles 1.14× faster than 4×16.
func bcastTile(mr, w, K int, acc bool) float64 {
	loads := float64(mr+w) / loadsPerCycle
	step := maxf(float64(mr*w)/fmaPerCycle, loads, fmaLatency+2) + float64(loadDrag*loads)
	epi := float64(mr * w)
	if acc {
		epi *= 2
	}
	return float64(float64(K)*step) + epi + tileOverhead
}

// maxStridedRows is the most rows a micro-kernel addresses through a
// stride register (walk.go): A's rows of the NN form, A's and B's of the
// dot form, which share four base registers.
const maxStridedRows = 10

// rowBases is the base registers n strided rows take (newStridedRows).
func rowBases(n int) int {
	switch {
	case n > maxStridedRows:
		return 5 // out of reach
	case n > 6:
		return 3
	case n > 3:
		return 2
	}
	return 1
}

// dplan is the dot form's plan: mr×nr tiles of (row of A)·(row of B) dots,
// split accumulators per dot (dtile); swap: M = 1, the tiles run down B's
// rows (emitDotRows); align: the vector of a matrix-vector product is
// copied to an aligned stack buffer first (alignVector).
type dplan struct {
	mr, nr, split        int
	swap, align, overlap bool // overlap: remainders run as whole tiles ending at C's edges
}

// dotRegs is the vector registers a dot-form tile needs: accumulators, A
// rows, one B register; AVX-512 also needs group+1 low registers (VEX
// reachable) for the horizontal reduction.
func dotRegs(s isa, mr, nr, group int) int {
	n := mr + 1
	if s.vecBytes == 64 && n < group+1 {
		n = group + 1
	}
	return mr*nr + n
}

// planDot tiles C = A·Bᵀ (NT), reducing along K in vectors; batched says
// M is the row range's (no swap). A matrix-vector product whose matrix
// outgrows L1 (rowsBytes), or that is a single dot, runs one matrix row
// at a time (planRows). A windowed B (taps > 0) fixes nr to its taps, one
// channel a block, its rows at immediate offsets from one base register.
//
// have reports whether another kernel of the file calls the tile of mr×nr
// (nil: none does); the cheapest such tile that divides C evenly is taken
// when the model rates it within reuseBonus and reuseCycles of the best
// (a tile stepping back over C's last columns measured 6% slower on R3's
// NT1x64x64, AVX2).
func planDot(s isa, lanes, group, M, N, K, esize int, batched, overlap bool, taps, examples int, have func(mr, nr int) bool) dplan {
	if taps > 0 {
		return planWindowDot(s, lanes, group, M, N, K, taps, examples)
	}
	switch {
	case M*N == 1:
		return planRows(lanes, K, false)
	case N == 1 && M*K*esize > rowsBytes:
		return planRows(lanes, K, false).aligned(K * esize)
	case s.dotRows && streamedGEMV(M, N, K, esize, batched):
		return planRows(lanes, K, true).aligned(K * esize)
	}
	best, bestCost := dplan{}, -1.0
	shared, sharedCost := dplan{}, -1.0 // the cheapest tile another kernel has
	for mr := 1; mr <= M && mr <= maxStridedRows; mr++ {
		for nr := 1; nr <= N && rowBases(mr)+rowBases(nr) <= 4 && dotRegs(s, mr, nr, group) <= s.nregs-s.dotSpare; nr++ {
			p := dplan{mr: mr, nr: nr, split: 1, overlap: overlap}
			c := dotCost(s, lanes, group, p, M, N, K)
			if !overlap {
				c *= sizeFactor(min(M%mr, 1) + min(N%nr, 1))
			}
			if bestCost < 0 || c < bestCost {
				best, bestCost = p, c
			}
			// exact: no tile recomputes or skips a part (of the whole batch:
			// a row range's rest may still overlap); a streamed
			// matrix-vector product's last tile may step back over C.
			exact := M%mr == 0 && N%nr == 0 || overlap && streamedGEMV(M, N, K, esize, batched)
			if have != nil && exact && have(mr, nr) && (sharedCost < 0 || c < sharedCost) {
				shared, sharedCost = p, c
			}
		}
	}
	if sharedCost >= 0 && float64(sharedCost*(1-reuseBonus)) <= bestCost && sharedCost-bestCost <= reuseCycles {
		return shared
	}
	return best
}

// planWindowDot is planDot's tiles of a windowed B: nr = taps, every
// register left to rows of A but AVX2's tail mask (maskReg), when K has a
// partial vector.
// A product summed over examples (ir.Matmul.Examples) is rated on its
// whole k, the tiles reducing once for all of them.
func planWindowDot(s isa, lanes, group, M, N, K, taps, examples int) dplan {
	regs := s.nregs
	if K%lanes > 0 && !s.opmask {
		regs--
	}
	best, bestCost := dplan{}, -1.0
	for mr := 1; mr <= M && mr <= maxStridedRows && rowBases(mr)+1 <= 4 && dotRegs(s, mr, taps, group) <= regs; mr++ {
		p := dplan{mr: mr, nr: taps, split: 1}
		c := dotCost(s, lanes, group, p, M, N, K*max(examples, 1)) * sizeFactor(min(M%mr, 1))
		if bestCost < 0 || c < bestCost {
			best, bestCost = p, c
		}
	}
	return best
}

// planRows plans a matrix-vector product (M = 1 or N = 1): 1×1 tiles, one
// row of the matrix at a time, read as one stream. Each FMA then loads
// both its operands (about one FMA a cycle), so it takes about four
// accumulators to cover the FMA latency; split takes up to maxSplit, a
// power of two, leaving at least two k steps to each.
func planRows(lanes, K int, swap bool) dplan {
	split := 1
	for split < maxSplit && 2*split <= K/lanes/2 {
		split *= 2
	}
	return dplan{mr: 1, nr: 1, split: split, swap: swap}
}

// aligned sets align when the vector, of n bytes, fits the stack buffer.
func (p dplan) aligned(n int) dplan {
	p.align = n <= maxPack
	return p
}

// reuseBonus is how much cheaper the planner rates a dot tile another
// kernel of the file already calls: the model overrates wide tiles of
// short products (R2's NT32x10x128 on AVX-512: 2×10 tiles rated 9.7%
// faster than 1×10, measured 2–3% slower, interleaved runs on the EPYC
// of the speed reports), and a shared tile is 60–150 lines of assembly
// fewer in the file a reviewer reads.
const reuseBonus = 0.1

// reuseCycles caps the cost sharing a tile may add in the model, a few
// hundred nanoseconds a call whatever the product's size.
const reuseCycles = 1000

// maxSplit is the most accumulators of one dot (dtile.split).
const maxSplit = 8

// rowsBytes is the largest matrix of a matrix-vector product that runs in
// dot tiles. Measured on Zen 5 (48 KiB L1): a matrix held in L1 (NT
// 1×64×64, 1×10×1024) runs twice as fast in 1×nr tiles, which load A's
// vector once for nr rows of B; one streamed from L2 (NT 1×128×784,
// 32×1×4096) runs 1.1–1.8× as fast one row at a time, a single stream.
const rowsBytes = 64 << 10

func dotCost(s isa, lanes, group int, p dplan, M, N, K int) float64 {
	mr, nr := p.mr, p.nr
	c := 0.0
	rowTiles, colTiles := [][2]int{{M / mr, mr}, {1, M % mr}}, [][2]int{{N / nr, nr}, {1, N % nr}}
	if p.overlap {
		rowTiles, colTiles = [][2]int{{(M + mr - 1) / mr, mr}}, [][2]int{{(N + nr - 1) / nr, nr}}
	}
	for _, rows := range rowTiles {
		for _, cols := range colTiles {
			if n := rows[0] * cols[0]; n > 0 && rows[1] > 0 && cols[1] > 0 {
				c += float64(float64(n) * dotTile(s, lanes, group, rows[1], cols[1], K))
			}
		}
	}
	return c
}

// dotTile models one tile: the k loop, then one reduction per group of
// accumulators (about 8 shuffle/add cycles, plus a 512→256 fold on AVX-512).
func dotTile(s isa, lanes, group, mr, nr, K int) float64 {
	steps := float64((K + lanes - 1) / lanes)
	step := maxf(float64(mr*nr)/fmaPerCycle, float64(mr+nr)/loadsPerCycle, fmaLatency)
	red := 8.0
	if s.vecBytes == 64 {
		red += 2 * float64(group)
	}
	groups := float64(mr * ((nr + group - 1) / group))
	return float64(steps*step) + float64(groups*red) + tileOverhead
}

func maxf(xs ...float64) float64 {
	m := xs[0]
	for _, x := range xs[1:] {
		if x > m {
			m = x
		}
	}
	return m
}
