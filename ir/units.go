package ir

import "slices"

// The unit split. Split by rows of the batch, every thread reads all of a
// layer's W, and in training the threads' gradients are added across
// cores and the updated W read again by every core: about four times the
// parameters' bytes between cores a Step, which costs as much as the work
// where a network does little work a parameter (MinSplitStepFlops). An MLP
// on pixels holds nearly all its parameters in its first layer (R2's dense
// 784→128: 98.7%). SplitUnits runs that layer by blocks of its units (rows
// of W) over the whole batch instead: SetThreads gives each thread blocks
// of its own, whose rows of W, ∂W and the update stay in that core's
// cache; the rest of the network, a few percent of the work, runs on the
// calling goroutine between the layer's forward and backward blocks. A
// block's products are the same whatever the threads, so the results are
// one thread's bit for bit.

// UnitBlock is the units of one block: two vectors of float32 on AVX-512,
// so that the forward product's row of C is whole vectors, and few enough
// that a layer of 128 units gives 4 blocks (4 threads).
const UnitBlock = 32

// MinUnitShare is the share of the parameters the first layer must hold
// for SplitUnits.
const MinUnitShare = 0.5

// Units is the first layer run by blocks of its units (SplitUnits). Its
// functions' ops are those of block 0: block k reads and writes the same
// views shifted by k blocks, W's rows and b, ∂W and ∂b, and the slots Z and
// DZ by k·Batch·Size. The views of the layer's own output a and ∂J/∂a are
// not the contiguous runs they say: they stand for columns [k·Size,
// (k+1)·Size) of each of the Batch rows of Units elements (bias + relu
// writes them, the backward function's OpCopy gathers them into the slot),
// which gen emits and Program.String prints as such. Verify checks their
// length and bounds as block 0's run, which lies within the columns' rows.
type Units struct {
	Forward  *Func   // Program.Forward[0]: Z = X·W_kᵀ into slot k, then a = max(Z + b_k, 0) into its columns
	Backward *Func   // the last of Program.Backward (nil without training): slot k = columns of ∂J/∂z, ∂W_k = slotᵀ·X, ∂b_k
	Z, DZ    *Buffer // the blocks' slots, Batch·Size elements each (DZ nil without training)
	A, DA    *Buffer // the layer's output a and ∂J/∂a (relu's gradient in place), Batch × Units
	W, B     *Buffer // Params[0] and Params[1]: the elements of block k are W's [k·Size·In, (k+1)·Size·In) and b's [k·Size, (k+1)·Size)
	In       int     // inputs: the row length of W
	Units    int     // the layer's units
	Size     int     // units a block: UnitBlock
	Blocks   int     // Units / Size
}

// SplitUnits runs the first layer by blocks of units where that pays: a
// batch, a first function that is a dense layer with its relu fused (ir.Fuse)
// on the input, with at least MinUnitShare of the parameters, in training
// a last backward function that is that layer's ∂W and ∂b and nothing
// else, and a Step not split by rows. Its products become one block's
// (not Batched: a block runs over the whole batch), its row operations a
// block's rows, and the z and ∂J/∂z that Fuse dropped its slots.
func SplitUnits(p *Program) {
	u := unitSplit(p)
	if u == nil {
		return
	}
	p.Units = u
	fmm, br := u.Forward.Blocks[0].Ops[0], u.Forward.Blocks[0].Ops[1]
	n, b := u.Size, p.Batch
	fmm.Matmul.N, fmm.Matmul.Batched = n, false
	fmm.Writes[0] = View{Buf: u.Z, Len: b * n}
	fmm.Reads[1].Len = n * u.In
	br.Reads = []View{{Buf: u.Z, Len: b * n}, {Buf: u.B, Len: n}}
	br.Writes[0].Len = b * n
	br.Dims = []int{b, n, 1}
	keep := []*Buffer{u.Z}
	if f := u.Backward; f != nil {
		bmm, bg := f.Blocks[0].Ops[0], f.Blocks[0].Ops[1]
		gather := &Op{Kind: OpCopy, Layer: bmm.Layer, Writes: []View{{Buf: u.DZ, Len: b * n}}, Reads: []View{{Buf: u.DA, Len: b * n}}}
		bmm.Matmul.M, bmm.Matmul.Batched = n, false
		bmm.Writes[0].Len = n * u.In
		bmm.Reads[0] = View{Buf: u.DZ, Len: b * n}
		bg.Writes[0].Len = n
		bg.Reads[0] = View{Buf: u.DZ, Len: b * n}
		bg.Dims = []int{b, n, 1}
		f.Blocks[0].Ops = []*Op{gather, bmm, bg}
		keep = append(keep, u.DZ)
	}
	var dropped []*Buffer
	for _, d := range p.Dropped {
		if d != u.Z && d != u.DZ {
			dropped = append(dropped, d)
		}
	}
	p.Dropped, p.Work = dropped, append(p.Work, keep...)
}

// unitSplit is the split SplitUnits makes of p, or nil.
func unitSplit(p *Program) *Units {
	if p.Batch < 2 || len(p.Forward) == 0 || len(p.Params) < 2 ||
		p.Training() && StepFlopsPerParam(p.Model) >= MinSplitStepFlops {
		return nil
	}
	f := p.Forward[0]
	mm, br := opPair(f, OpMatmul, OpBiasRelu)
	if mm == nil || f.Layer == nil {
		return nil
	}
	k := mm.Matmul
	u := &Units{Forward: f, A: br.Writes[0].Buf, W: p.Params[0], B: p.Params[1], In: k.K, Units: k.N, Size: UnitBlock, Blocks: k.N / UnitBlock}
	switch {
	case !k.TransB || k.TransA || !k.Batched || k.Accumulate || k.Windowed() || k.M != p.Batch,
		mm.Reads[0].Buf != p.Input || mm.Reads[1].Buf != u.W || mm.Writes[0].Buf != u.A,
		br.Reads[0].Buf != u.A || br.Reads[1].Buf != u.B || u.B.Size != k.N,
		k.N%UnitBlock != 0 || u.Blocks < 2:
		return nil
	}
	total := 0
	for _, b := range p.Params {
		total += b.Size
	}
	if float64(u.W.Size+u.B.Size) < MinUnitShare*float64(total) {
		return nil
	}
	u.Z = dropped(p, f.Layer.ID+"Out", p.Batch*k.N)
	if u.Z == nil {
		return nil
	}
	if !p.Training() {
		return u
	}
	u.Backward = p.Backward[len(p.Backward)-1]
	bmm, bg := opPair(u.Backward, OpMatmul, OpBiasGrad)
	if bmm == nil || u.Backward.Layer != f.Layer {
		return nil
	}
	k = bmm.Matmul
	u.DA = bmm.Reads[0].Buf
	u.DZ = dropped(p, f.Layer.ID+"OutGrad", p.Batch*u.Units)
	switch {
	case u.DZ == nil || !k.TransA || k.TransB || !k.Batched || k.Accumulate || k.Windowed(),
		bmm.Reads[1].Buf != p.Input || bmm.Writes[0].Buf != p.Grads[0] || bg.Writes[0].Buf != p.Grads[1] || bg.Reads[0].Buf != u.DA,
		u.DA.Size != p.Batch*u.Units:
		return nil
	}
	return u
}

// opPair is f's two ops when f is one block outside a batch loop holding
// an op of kind a, then one of kind b.
func opPair(f *Func, a, b OpKind) (*Op, *Op) {
	if len(f.Blocks) != 1 || f.Blocks[0].Batch != 0 || len(f.Blocks[0].Ops) != 2 {
		return nil, nil
	}
	ops := f.Blocks[0].Ops
	if ops[0].Kind != a || ops[1].Kind != b {
		return nil, nil
	}
	return ops[0], ops[1]
}

// dropped is the buffer Fuse dropped with that name and size, or nil.
func dropped(p *Program, name string, size int) *Buffer {
	for _, d := range p.Dropped {
		if d.Name == name && d.Size == size {
			return d
		}
	}
	return nil
}

// owns reports whether op is one of the unit functions' ops.
func (u *Units) owns(op *Op) bool {
	for _, f := range []*Func{u.Forward, u.Backward} {
		if f != nil && slices.Contains(f.Blocks[0].Ops, op) {
			return true
		}
	}
	return false
}
