package asm

import (
	"fmt"

	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/ir"
)

// The dot form computes NT products, C[i][j] = A[i][:]·B[j][:], with both
// operands K-contiguous: an mr×nr tile keeps one vector accumulator per
// (i, j), walks K in vectors (the partial last one masked) and reduces each
// row's accumulators horizontally into C[i][j:j+nr]. Column blocks loop
// outermost so the nr rows of B stay in L1 while A streams past. The driver
// (emitDot) walks the blocks; a micro-kernel (dtile) runs a block's tiles.
//
// A product with one row or one column (M = 1 or N = 1) is a matrix-vector
// product: 1×1 tiles walk the matrix one row at a time, a single stream the
// prefetchers follow, with split accumulators along k (the planner's
// split) so that the FMAs need not wait for each other. With M = 1 the
// matrix is B: the driver swaps the operands (emitDotRows), C's row being
// the column Cᵀ.

// emitDot emits the driver of an NT kernel.
func (k *kb) emitDot(p dplan) {
	m, e := k.m, k.esize
	if p.swap {
		k.emitDotRows(p)
		return
	}
	k.MOVQ(operand.U32(m.K*e), regStrA)
	k.MOVQ(operand.U32(m.N*e), regStrC)
	k.Load(k.Param("b"), regBPanel)
	k.Load(k.Param("c"), regCTile)
	if k.batchedRows() {
		k.rangeOffset(regStrC, regCTile)
	}
	k.dotK()
	if m.Examples > 0 { // regK counts examples; a tile's k steps are its own
		k.exampleOffset(m.BExample()*e, regBPanel)
		k.rangeCount(regK)
	}
	if p.align {
		k.alignVector()
	}
	if k.chunk.n > 0 {
		k.exampleChunks(func() { k.dotBlocks(p) })
		return
	}
	k.dotBlocks(p)
}

// dotBlocks runs the column blocks of C.
func (k *kb) dotBlocks(p dplan) {
	m, e := k.m, k.esize
	r := m.N % p.nr
	if r > 0 && k.overlaps() { // the last block steps back to end at C's last column
		back := p.nr - r
		k.loop("cols", regPanels, m.N/p.nr+1, func() {
			k.lastPanel(true, func() {
				k.addq(-back*m.K*e, regBPanel)
				k.addq(-back*e, regCTile)
			})
			k.dotCols(p, p.nr)
		})
		return
	}
	k.loop("cols", regPanels, m.N/p.nr, func() { k.dotCols(p, p.nr) })
	if r > 0 {
		k.dotCols(p, r)
	}
}

// dotK loads the k steps and the tail mask of the dot form.
func (k *kb) dotK() {
	m := k.m
	if m.Examples == 0 {
		k.MOVQ(operand.U32(m.K/k.lanes), regK)
	}
	if tl := m.K % k.lanes; tl > 0 && k.s.opmask {
		k.setOpmask(tl)
	} else if tl > 0 {
		k.loadMask(tl, k.maskReg())
	}
}

// emitDotRows emits the driver of an NT product with one row (M = 1) as
// Cᵀ = B·Aᵀ: the micro-kernel's rows are B's N rows, its single column A's
// row, and C's "rows" one element apart.
func (k *kb) emitDotRows(p dplan) {
	m, e := k.m, k.esize
	k.Load(k.Param("a"), regBPanel)
	k.Load(k.Param("b"), regATile)
	k.Load(k.Param("c"), regCTile)
	k.MOVQ(operand.U32(m.K*e), regStrA)
	k.MOVQ(operand.U32(e), regStrC)
	k.dotK()
	if p.align {
		k.alignVector()
	}
	k.MOVQ(operand.U32(m.N), regTiles)
	k.callDot(k.dtileOf(p, p.mr, p.nr))
}

// vectorBytes is the stack buffer alignVector needs.
func (k *kb) vectorBytes() int {
	vb := k.s.vecBytes
	return (k.m.K*k.esize+vb-1)/vb*vb + packSlack
}

// packSlack is the room a stack buffer needs past its size for leaPack to
// start it on a cache line: Go's frames are only 8-byte aligned.
const packSlack = 64

// leaPack points r at the stack buffer's first 64-byte boundary. Packed
// panels are read once per row tile, and a buffer off a line splits every
// load of them in two.
func (k *kb) leaPack(r reg.Register) {
	k.LEAQ(k.pack, r)
	k.ADDQ(operand.U8(63), r)
	k.ANDQ(operand.I32(-64), r)
}

// alignVector copies the vector at regBPanel, K elements, to the stack
// buffer at a 64-byte boundary and points regBPanel at the copy. The
// tiles read the vector once per matrix row, and a misaligned one (a
// workspace array 16 bytes off a cache line) splits every load in two:
// R2's first layer took 3.2 µs instead of 2.3.
func (k *kb) alignVector() {
	vb, tmp := k.s.vecBytes, k.s.vec(0)
	k.MOVQ(regBPanel, regAWalk)
	k.leaPack(regBPanel)
	k.MOVQ(regBPanel, regBWalk)
	k.loop("copy", regKCnt, k.m.K/k.lanes, func() {
		k.vload(mem(regAWalk, 0), tmp)
		k.vstore(tmp, mem(regBWalk, 0))
		k.addq(vb, regAWalk)
		k.addq(vb, regBWalk)
	})
	if k.m.K%k.lanes > 0 {
		k.maskedLoad(mem(regAWalk, 0), k.maskReg(), tmp)
		k.vstore(tmp, mem(regBWalk, 0))
	}
}

// chunkSlots are the frame slots of a product run a chunk of examples at
// a time: n examples a chunk (0: all at once), the examples left, and A
// and B at the chunk's first.
type chunkSlots struct {
	n          int
	left, a, b operand.Mem
}

// exampleChunkBytes is how much of A one chunk of a product summed over
// examples reads (exampleChunk). Each column block of C reads all of A's
// examples again: R5's weight gradients read 512 KB of A per block over
// the batch of 32, past what stays in L2 beside the padded batch, and ran
// faster over chunks of 8 examples (128 KB), their tiles reduced once per
// chunk: R5's Step in 1.26 ms against 1.29 over all 32 for one of its two,
// 1.28 ms in chunks of 4 and 16 (AVX-512, hand-edited drivers, best of 5–9).
const exampleChunkBytes = 128 << 10

// exampleChunk is the examples a chunk of m holds, 0 to run them all at
// once: m sums over more examples than exampleChunkBytes of A hold.
func exampleChunk(m ir.Matmul) int {
	per := m.M * m.K * elemSize(m.DType)
	if m.Examples == 0 || !m.Batched || m.Examples*per <= exampleChunkBytes {
		return 0
	}
	return max(exampleChunkBytes/per, 1)
}

// exampleChunks runs blocks on one chunk of examples after another:
// regK examples (the chunk's, at most chunk.n), A and B at its first; C
// accumulates across them.
func (k *kb) exampleChunks(blocks func()) {
	m, e, c := k.m, k.esize, k.chunk
	k.MOVQ(regK, c.left)
	k.Load(k.Param("a"), regATile)
	k.exampleOffset(m.M*m.K*e, regATile)
	k.MOVQ(regATile, c.a)
	k.MOVQ(regBPanel, c.b)
	chunk := k.label("chunk")
	k.Label(chunk)
	k.MOVQ(c.left, regK)
	k.MOVQ(operand.U32(c.n), regKCnt)
	k.CMPQ(regKCnt, regK)
	k.CMOVQLT(regKCnt, regK) // regK = min(left, n)
	blocks()
	k.IMUL3Q(operand.U32(m.BExample()*e), regK, regKCnt)
	k.MOVQ(c.b, regBPanel)
	k.ADDQ(regKCnt, regBPanel)
	k.MOVQ(regBPanel, c.b)
	k.IMUL3Q(operand.U32(m.M*m.K*e), regK, regKCnt)
	k.MOVQ(c.a, regATile)
	k.ADDQ(regKCnt, regATile)
	k.MOVQ(regATile, c.a)
	k.Load(k.Param("c"), regCTile)
	k.MOVQ(c.left, regKCnt)
	k.SUBQ(regK, regKCnt)
	k.MOVQ(regKCnt, c.left)
	k.JNZ(operand.LabelRef(chunk))
}

// dtileOf is the tile of plan p with the given rows and columns.
func (k *kb) dtileOf(p dplan, mr, nr int) dtile {
	m := k.m
	t := dtile{mr: mr, nr: nr, split: p.split, tail: m.K%k.lanes > 0, acc: m.Accumulate, zero: m.K < k.lanes, win: m.Window}
	if m.Examples > 0 {
		t.ex = exampleWalk{steps: m.K / k.lanes, a: m.M * m.K * k.esize, b: m.BExample() * k.esize}
	}
	return t
}

// dotCols runs the row tiles of one block of nr columns and moves on.
func (k *kb) dotCols(p dplan, nr int) {
	m, e := k.m, k.esize
	mr := p.mr
	t := k.dtileOf(p, mr, nr)
	switch {
	case k.chunk.n > 0: // the chunk's first example (exampleChunks)
		k.MOVQ(k.chunk.a, regATile)
	case m.Examples > 0:
		k.Load(k.Param("a"), regATile)
		k.exampleOffset(m.M*m.K*e, regATile)
	default:
		k.Load(k.Param("a"), regATile)
		if k.batchedRows() {
			k.rangeOffset(regStrA, regATile)
		}
	}
	k.rowCalls(mr, m.M, m.K*e, func(rows int) {
		t := t
		t.mr = rows
		k.callDot(t)
	})
	k.nextPanelC(nr * e)
	if m.Windowed() { // one channel a block
		k.addq(m.LdB*e, regBPanel)
		return
	}
	k.addq(nr*m.K*e, regBPanel)
}

// dtile is a dot-form micro-kernel: mr×nr tiles, K's last vector masked
// (tail), C accumulated into; zero when K has no full vector; split
// accumulators per element of C, each taking every split-th vector of k
// (1: one accumulator); with a window (win.Taps = nr), B's rows are a
// padded channel's taps (ir.Window), at win.Offset(c) elements from the
// block's start.
type dtile struct {
	mr, nr, split   int
	tail, acc, zero bool
	win             ir.Window
	ex              exampleWalk
}

// exampleWalk is a tile summed over examples (ir.Matmul.Examples): regK
// of them, each of steps k steps, A's and B's example a and b bytes apart.
// The accumulators stay in registers across the examples, counted in
// regExamples, and are reduced into C once.
type exampleWalk struct{ steps, a, b int }

func (k *kb) callDot(t dtile) {
	k.call(k.dotName(t), func(u *kb) {
		dk := dtileKB{kb: u, dtile: t}
		dk.emit()
	})
}

// dotName is the micro-kernel name of tile t.
func (k *kb) dotName(t dtile) string {
	v := variants(false, t.acc, false)
	if t.split > 1 {
		v = fmt.Sprintf("Split%d", t.split) + v
	}
	if t.tail {
		v = "Tail" + v
	}
	if t.zero {
		v = "Short" + v
	}
	if w := t.win; w.Taps > 0 {
		v += fmt.Sprintf("W%dx%ds%d", w.KW, w.Row*k.esize, (w.Shift+1)*k.esize)
	}
	if x := t.ex; x.a > 0 { // the example walk is in immediates: steps, A's and B's strides
		v += fmt.Sprintf("E%dx%dx%d", x.steps, x.a, x.b)
	}
	return microName("dot", t.mr, t.nr, v, k)
}

// dtileKB emits a dtile; registers: A rows 0..mr-1, the B register mr,
// accumulators from base (AVX-512 keeps group+1 low registers free for the
// VEX-only horizontal adds); the AVX2 mask is the last.
type dtileKB struct {
	*kb
	dtile
	a, b stridedRows
}

func (t *dtileKB) av(r int) reg.VecPhysical     { return t.s.vec(r) }
func (t *dtileKB) bt() reg.VecPhysical          { return t.s.vec(t.mr) }
func (t *dtileKB) acc(r, c int) reg.VecPhysical { return t.accS(r, c, 0) }

// accS is the accumulator of split s of C[i+r][j+c].
func (t *dtileKB) accS(r, c, s int) reg.VecPhysical {
	base := t.mr + 1
	if t.s.vecBytes == 64 && base < t.group()+1 {
		base = t.group() + 1
	}
	return t.s.vec(base + s*t.mr*t.nr + r*t.nr + c)
}

// group is how many accumulators one 128-bit horizontal reduction serves.
func (k *kb) group() int { return 16 / k.esize }

func (t *dtileKB) emit() {
	t.Commentf("%d×%d tiles of C, regTiles of them down a block of columns", t.mr, t.nr)
	pool := []reg.Register{regBWalk, regBase2, regBase3}
	t.b = newStridedRows(t.nr, regStrA, pool...)
	if t.win.Taps > 0 {
		t.b = stridedRows{bases: pool[:1], imms: make([]int, t.nr)}
		for c := range t.b.imms {
			t.b.imms[c] = t.win.Offset(c) * t.esize
		}
	}
	t.a = newStridedRows(t.mr, regStrA, append([]reg.Register{regAWalk}, pool[len(t.b.bases):]...)...)
	rows := t.label("rows")
	t.Label(rows)
	t.initAcc()
	t.MOVQ(regATile, regAWalk)
	t.setupRows(t.a)
	t.MOVQ(regBPanel, regBWalk)
	t.setupRows(t.b)
	vb := t.s.vecBytes
	var steps operand.Op = regK
	var ex string
	if t.ex.a > 0 {
		steps, ex = operand.U32(t.ex.steps), t.label("ex")
		t.MOVQ(regK, regExamples)
		t.Label(ex)
	}
	if !t.zero || t.split > 1 {
		t.kLoop(steps, t.split, func(s, u int) {
			t.step(s*vb, s, false)
			if s == u-1 {
				t.advanceRows(t.a, u*vb)
				t.advanceRows(t.b, u*vb)
			}
		})
	}
	if t.tail {
		t.step(0, 0, true)
	}
	if t.ex.a > 0 { // the next example: the k loop moved every walk on by steps vectors
		t.advanceRows(t.a, t.ex.a-t.ex.steps*vb)
		t.advanceRows(t.b, t.ex.b-t.ex.steps*vb)
		t.DECQ(regExamples)
		t.JNZ(operand.LabelRef(ex))
	}
	t.sumSplits()
	for r := 0; r < t.mr; r++ {
		t.reduceRow(r)
		t.ADDQ(regStrC, regCTile)
	}
	t.mulAdd(t.mr, regStrA, regKCnt, regATile)
	t.DECQ(regTiles)
	t.JNZ(operand.LabelRef(rows))
}

// initAcc zeroes the accumulators, or loads C's elements into split 0.
func (t *dtileKB) initAcc() {
	if t.dtile.acc {
		t.MOVQ(regCTile, regKCnt)
	}
	for r := 0; r < t.mr; r++ {
		for c := 0; c < t.nr; c++ {
			switch {
			case t.dtile.acc:
				t.loadScalar(mem(regKCnt, c*t.esize), t.acc(r, c))
			default:
				t.vzero(t.acc(r, c))
			}
			for s := 1; s < t.split; s++ {
				t.vzero(t.accS(r, c, s))
			}
		}
		if t.dtile.acc && r < t.mr-1 {
			t.ADDQ(regStrC, regKCnt)
		}
	}
}

// sumSplits adds the split accumulators into split 0, pairwise.
func (t *dtileKB) sumSplits() {
	for h := t.split / 2; h > 0; h /= 2 {
		for s := 0; s < h; s++ {
			for r := 0; r < t.mr; r++ {
				for c := 0; c < t.nr; c++ {
					t.vadd(t.accS(r, c, s+h), t.accS(r, c, s), t.accS(r, c, s))
				}
			}
		}
	}
}

// cmem is C[i][j+c] of the row being stored (regCTile walks the rows).
func (t *dtileKB) cmem(c int) operand.Mem { return mem(regCTile, c*t.esize) }

// step is one vector of k at byte offset off into split s, masked when
// tail. A single row reads B's vectors in its FMAs: each is used once.
func (t *dtileKB) step(off, s int, tail bool) {
	for r := 0; r < t.mr; r++ {
		t.load(t.a.at(r, off), t.av(r), tail)
	}
	for c := 0; c < t.nr; c++ {
		if t.mr == 1 && !tail {
			t.fma(t.b.at(c, off), t.av(0), t.accS(0, c, s))
			continue
		}
		t.load(t.b.at(c, off), t.bt(), tail)
		for r := 0; r < t.mr; r++ {
			t.fma(t.bt(), t.av(r), t.accS(r, c, s))
		}
	}
}

// load loads a vector, or its first elements under the tail mask.
func (t *dtileKB) load(m operand.Mem, v reg.VecPhysical, tail bool) {
	if tail {
		t.maskedLoad(m, t.maskReg(), v)
		return
	}
	t.vload(m, v)
}
