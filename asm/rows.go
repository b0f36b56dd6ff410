package asm

import (
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// Row ranges. A Batched product (ir.Matmul.Batched) takes lo and hi and
// computes only rows lo..hi−1 of its batch dimension, so that SetThreads'
// goroutines share a batch: rows of A and C (NN, NT: the batch is M) or
// steps of k (TN: the batch is K, summed into the whole of C). The shape
// stays compiled in; only counts come from hi − lo at run time: the row
// tiles of each panel, whole tiles and then the rest (one overlapping tile,
// overlapRows, or single rows), or the k steps.
// The dispatcher sends an empty range to Generic (a micro-kernel runs at
// least one tile and one k step).

// batchedRows reports whether m's row count comes from the range.
func (k *kb) batchedRows() bool { return k.m.Batched && !k.m.TransA && k.m.Examples == 0 }

// batchedK reports whether m's k count comes from the range.
func (k *kb) batchedK() bool { return k.m.Batched && k.m.TransA }

// rangeCount loads hi − lo into r.
func (k *kb) rangeCount(r reg.Register) {
	k.Load(k.Param("hi"), r)
	k.SUBQ(k.paramAddr("lo"), r)
}

// rangeOffset moves p forward by lo rows, stride bytes each (a stride
// register, so that the driver's code does not change with the shape;
// clobbers regKCnt).
func (k *kb) rangeOffset(stride, p reg.Register) {
	k.Load(k.Param("lo"), regKCnt)
	k.IMULQ(stride, regKCnt)
	k.ADDQ(regKCnt, p)
}

// rowCalls runs a panel's row tiles: M/mr tiles of mr rows, then the
// M%mr rows left; for a Batched NN or NT product (hi − lo)/mr tiles and
// then the rest. call emits the micro-kernel call for tiles of the given
// rows, regTiles of them; A's rows are aRow bytes apart.
//
// Where the product overwrites C (overlaps), the rows left run as one
// more tile of mr rows that ends at the last row, recomputing rows the
// tiles before it wrote with the same bytes: no micro-kernel per
// remainder. In a row range that tile may start before lo (at
// max(hi − mr, 0)) and, below mr rows, end past hi, on rows of C outside
// the range: those are the thread's own workspace rows, which nothing
// reads (rows.go's contract with gen).
func (k *kb) rowCalls(mr, M, aRow int, call func(rows int)) {
	rowC := k.m.N * k.esize
	if !k.batchedRows() {
		k.MOVQ(operand.U32(M/mr), regTiles)
		call(mr)
		switch r := M % mr; {
		case r == 0:
		case k.overlaps():
			k.addq(-(mr-r)*aRow, regATile)
			k.addq(-(mr-r)*rowC, regCTile)
			k.MOVQ(operand.U32(1), regTiles)
			call(mr)
		default:
			k.MOVQ(operand.U32(1), regTiles)
			call(r)
		}
		return
	}
	k.MOVQ(regCTile, regPanelC)
	// (hi − lo) / mr and its remainder: DIVQ on the scratch registers
	// RAX (regBase2) and RDX (regAWalk), once for each.
	divide := func() {
		k.rangeCount(reg.RAX)
		k.XORL(reg.EDX, reg.EDX)
		k.MOVQ(operand.U32(mr), regKCnt)
		k.DIVQ(regKCnt)
	}
	if mr == 1 {
		k.rangeCount(regTiles)
		call(1)
		return
	}
	done, rest := k.label("rowsdone"), k.label("rowsrest")
	divide()
	k.MOVQ(reg.RAX, regTiles)
	k.TESTQ(regTiles, regTiles)
	k.JZ(operand.LabelRef(rest))
	call(mr)
	k.Label(rest)
	divide()
	if k.overlaps() {
		k.overlapRows(mr, done, call)
		return
	}
	k.MOVQ(reg.RDX, regTiles)
	k.TESTQ(regTiles, regTiles)
	k.JZ(operand.LabelRef(done))
	call(1)
	k.Label(done)
}

// overlapRows runs a row range's rest (RDX rows, at hi − RDX) as one tile
// of mr rows from max(hi − mr, 0), which may end past hi (nextPanelC
// starts the next panel from regPanelC). A's rows are regStrA apart (NN,
// NT), C's regStrC.
func (k *kb) overlapRows(mr int, done string, call func(rows int)) {
	k.TESTQ(reg.RDX, reg.RDX)
	k.JZ(operand.LabelRef(done))
	// RAX = RDX − min(mr, hi) = max(hi − mr, 0) − (hi − RDX): the rows to step back.
	k.MOVQ(operand.U32(mr), reg.RAX)
	k.CMPQ(k.paramAddr("hi"), reg.RAX)
	k.CMOVQLT(k.paramAddr("hi"), reg.RAX)
	k.NEGQ(reg.RAX)
	k.ADDQ(reg.RDX, reg.RAX)
	k.MOVQ(reg.RAX, regKCnt)
	k.IMULQ(regStrC, regKCnt)
	k.ADDQ(regKCnt, regCTile)
	k.IMULQ(regStrA, reg.RAX)
	k.ADDQ(reg.RAX, regATile)
	k.MOVQ(operand.U32(1), regTiles)
	call(mr)
	k.Label(done)
}

// overlaps reports whether tiles may overlap: C is overwritten, not
// accumulated into, and B is a plain matrix.
func (k *kb) overlaps() bool { return !k.m.Accumulate && !k.m.Windowed() }

// nextPanelC moves regCTile from below the panel's last row of C to the
// first row of the next panel, panel bytes to the right: in a row range
// from where rowCalls kept the panel's first row (regPanelC).
func (k *kb) nextPanelC(panel int) {
	rowC := k.m.N * k.esize
	if !k.batchedRows() {
		k.ADDQ(operand.I32(stepC(panel, k.m.M, rowC)), regCTile)
		return
	}
	k.LEAQ(operand.Mem{Base: regPanelC, Disp: panel}, regCTile)
}

// countLoop is loop over K's steps: count times, or hi − lo times for a
// Batched TN product (whose K is the batch).
func (k *kb) countLoop(what string, cnt reg.Register, count int, body func()) {
	if !k.batchedK() {
		k.loop(what, cnt, count, body)
		return
	}
	l := k.label(what)
	k.rangeCount(cnt)
	k.Label(l)
	body()
	k.DECQ(cnt)
	k.JNZ(operand.LabelRef(l))
}

// exampleOffset moves p forward by lo examples of bytes each (clobbers
// regKCnt): a product summed over a range of examples (ir.Matmul.Examples).
func (k *kb) exampleOffset(bytes int, p reg.Register) {
	k.Load(k.Param("lo"), regKCnt)
	k.IMUL3Q(operand.U32(bytes), regKCnt, regKCnt)
	k.ADDQ(regKCnt, p)
}
