package gen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
)

// The unit split (ir.SplitUnits): the first layer's functions run over a
// range [from, to) of blocks of its units, each over the whole batch;
// forward and backward call them for every block around the rest of the
// network (forwardRest, backwardRest), and SetThreads gives each thread
// blocks of its own (threads.go.tmpl).

// blockVar is the block loop's variable.
const blockVar = "k"

// unitFunc emits one of the unit split's two functions: funcParams' with
// a range of blocks for the rows.
func (e *emitter) unitFunc(f *jen.File, fn *ir.Func) {
	u, ops := e.p.Units, fn.Blocks[0].Ops
	what, loop := fmt.Sprintf("its product into the block's slot of %s, then a = max(z + b, 0) into its columns of %s", u.Z.Name, u.A.Name), e.unitForward
	if fn == u.Backward {
		what, loop = fmt.Sprintf("the block's columns of %s into its slot of %s, then its rows of ∂W and ∂b from the slot", u.DA.Name, u.DZ.Name), e.unitBackward
	}
	f.Comment(e.layerDoc(fn) + fmt.Sprintf("; by blocks [from, to) of %d units over the whole batch (unit split): %s", u.Size, what))
	ps := e.funcParams(fn)
	ps[len(ps)-1] = jen.List(jen.Id("from"), jen.Id("to")).Int()
	body := append(e.locals(fn), forRange(blockVar, jen.Id("from"), jen.Id("to"), loop(ops)))
	f.Func().Params(funcRecv(fn)).Id(fn.Name).Params(ps...).Block(body...)
	f.Line()
}

// blockView is view v of block 0 moved to block k, v.Len·k elements on
// (the batch input, which every block reads whole, stays).
func (e *emitter) blockView(v ir.View) jen.Code {
	if v.Buf.Kind == ir.Input {
		return jen.Id(local(v.Buf))
	}
	return jen.Parens(jen.Op("*").Add(e.arr(v.Len))).Call(jen.Id(local(v.Buf)).Index(jen.Id(blockVar).Op("*").Lit(v.Len), jen.Empty()))
}

// columns is row b's columns of block k in the layer's own buffer
// (Units.A or DA), from there on.
func (e *emitter) columns(b *ir.Buffer) *jen.Statement {
	u := e.p.Units
	return jen.Id(local(b)).Index(jen.Id("b").Op("*").Lit(u.Units).Op("+").Id(blockVar).Op("*").Lit(u.Size), jen.Empty())
}

// slotRow is row b of the block's slot, n elements.
func (e *emitter) slotRow(n int) *jen.Statement {
	return jen.Parens(jen.Op("*").Add(e.arr(n))).Call(jen.Id("slot").Index(jen.Id("b").Op("*").Lit(n), jen.Empty()))
}

// unitForward is block k of the forward function: Z_k = X·W_kᵀ into the
// slot, then a's columns = max(Z_k + b_k, 0).
func (e *emitter) unitForward(ops []*ir.Op) []jen.Code {
	mm, br := ops[0], ops[1]
	n := e.p.Units.Size
	k := e.useElem(ir.AddRowRelu, n)
	return []jen.Code{
		jen.Id("slot").Op(":=").Add(e.blockView(mm.Writes[0])),
		e.blockProduct(mm.Matmul, jen.Id("slot"), e.blockView(mm.Reads[0]), e.blockView(mm.Reads[1])),
		forLoop("b", 0, e.p.Batch, 1, []jen.Code{jen.Id(k.Name()).Call(e.slotRow(n), e.blockView(br.Reads[1]),
			jen.Parens(jen.Op("*").Add(e.arr(n))).Call(e.columns(br.Writes[0].Buf)))}),
	}
}

// unitBackward is block k of the first layer's gradients: the slot gathers
// the block's columns of ∂J/∂z, then ∂W_k = slotᵀ·X and ∂b_k = Σ rows.
func (e *emitter) unitBackward(ops []*ir.Op) []jen.Code {
	gather, mm, bg := ops[0], ops[1], ops[2]
	n := e.p.Units.Size
	sum := jen.Id(e.useElem(ir.AddRows, n).Name()).Call(jen.Id("db"), jen.Id("slot").Index(jen.Empty(), jen.Empty()))
	return []jen.Code{
		jen.Id("slot").Op(":=").Add(e.blockView(gather.Writes[0])),
		forLoop("b", 0, e.p.Batch, 1, []jen.Code{jen.Copy(jen.Id("slot").Index(jen.Id("b").Op("*").Lit(n), jen.Parens(jen.Id("b").Op("+").Lit(1)).Op("*").Lit(n)), e.columns(gather.Reads[0].Buf))}),
		e.blockProduct(mm.Matmul, e.blockView(mm.Writes[0]), jen.Id("slot"), e.blockView(mm.Reads[1])),
		jen.Id("db").Op(":=").Add(e.blockView(bg.Writes[0])),
		jen.Op("*").Id("db").Op("=").Add(e.arr(n)).Values(),
		sum,
	}
}

// blockProduct calls a block's product: over all its rows where another
// product of the same shape takes a row range (Program.Kernels merges them).
func (e *emitter) blockProduct(k ir.Matmul, args ...jen.Code) jen.Code {
	if e.p.Plan.Batched(k) {
		args = append(args, jen.Lit(0), jen.Lit(k.Rows()))
	}
	return jen.Id(k.Name()).Call(args...)
}

// unitCall is the call of a unit function over every block, in forward or
// backward.
func unitCall(recv string, fn *ir.Func, args ...jen.Code) jen.Code {
	return jen.Id(recv).Dot(fn.Name).Call(append(args, jen.Id("x"), jen.Lit(0), jen.Id("unitBlocks"))...)
}

// without is fs without f.
func without(fs []*ir.Func, f *ir.Func) []*ir.Func {
	var out []*ir.Func
	for _, g := range fs {
		if g != f {
			out = append(out, g)
		}
	}
	return out
}

// emitUnitForward emits forward as the unit split runs it: the first
// layer over all its blocks, then forwardRest, the other layers over rows
// [lo, hi).
func (e *emitter) emitUnitForward(f *jen.File, u *ir.Units) {
	f.Comment(fmt.Sprintf("unitBlocks is the number of blocks of %d units %s runs by (unit split: ir.SplitUnits).", u.Size, u.Forward.Layer.ID))
	f.Const().Id("unitBlocks").Op("=").Lit(u.Blocks)
	f.Line()
	f.Comment(fmt.Sprintf("forward is the forward pass of the batch x, layer by layer in spec order: %s over", u.Forward.Layer.ID))
	f.Comment("every block of its units and the whole batch, then forwardRest over rows [lo, hi).")
	f.Func().Params(fwRecv).Id("forward").Params(params, e.inputParam(), rows).Block(
		unitCall("fw", u.Forward, jen.Id("params")),
		jen.Id("fw").Dot("forwardRest").Call(jen.Id("params"), jen.Id("x"), lo, hi))
	f.Line()
	f.Comment(fmt.Sprintf("forwardRest is the forward pass after %s over rows [lo, hi) of the batch x.", u.Forward.Layer.ID))
	f.Func().Params(fwRecv).Id("forwardRest").Params(params, e.inputParam(), rows).Block(
		calls("fw", without(e.p.Forward, u.Forward), jen.Id("x"), jen.Id("params"), lo, hi)...)
	f.Line()
}

// emitBackward emits the reverse sweep, backward; with the unit split,
// backwardRest and then the first layer's blocks.
func (e *emitter) emitBackward(f *jen.File) {
	ws := jen.Id("ws").Op("*").Id("workspace")
	sig := []jen.Code{params, jen.Id("fw").Op("*").Id("forwardWork"), jen.Id("grad").Op("*").Id("Params"), e.inputParam(), rows}
	args := []jen.Code{jen.Id("params"), jen.Id("fw"), jen.Id("grad"), lo, hi}
	u := e.p.Units
	if u == nil {
		f.Comment("backward is the reverse sweep over rows [lo, hi) of the batch, each layer's parameter")
		f.Comment("gradients into grad as soon as its output gradient is known (§7.4.2).")
		f.Func().Params(ws).Id("backward").Params(sig...).Block(calls("ws", e.p.Backward, jen.Id("x"), args...)...)
		f.Line()
		return
	}
	f.Comment("backward is the reverse sweep of the batch, each layer's parameter gradients into grad as")
	f.Comment(fmt.Sprintf("soon as its output gradient is known (§7.4.2): backwardRest over rows [lo, hi), then %s over", u.Forward.Layer.ID))
	f.Comment("every block of its units and the whole batch.")
	f.Func().Params(ws).Id("backward").Params(sig...).Block(
		jen.Id("ws").Dot("backwardRest").Call(jen.Id("params"), jen.Id("fw"), jen.Id("grad"), jen.Id("x"), lo, hi),
		unitCall("ws", u.Backward, jen.Id("params"), jen.Id("fw"), jen.Id("grad")))
	f.Line()
	f.Comment(fmt.Sprintf("backwardRest is the reverse sweep down to %s's output gradient, over rows [lo, hi) of the batch.", u.Forward.Layer.ID))
	f.Func().Params(ws).Id("backwardRest").Params(sig...).Block(calls("ws", without(e.p.Backward, u.Backward), jen.Id("x"), args...)...)
	f.Line()
}

// unitsData is what threads.go.tmpl says and calls of the unit split.
type unitsData struct {
	Layer, Forward, Backward string
	Units, Blocks, Size      int
	Share                    int // % of the parameters
	Elems                    int // W's and b's elements, which lead Params
	WBlock, BFrom            int // W's elements a block; b's first element in Params
}

func (e *emitter) unitsData() *unitsData {
	u := e.p.Units
	if u == nil {
		return nil
	}
	d := &unitsData{Layer: u.Forward.Layer.ID, Forward: u.Forward.Name, Units: u.Units, Blocks: u.Blocks, Size: u.Size,
		Elems: u.W.Size + u.B.Size, WBlock: u.Size * u.In, BFrom: u.W.Size}
	if u.Backward != nil {
		d.Backward = u.Backward.Name
	}
	d.Share = int(100 * int64(d.Elems) / e.m.Total().Params)
	return d
}
