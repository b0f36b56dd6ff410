package ir

import (
	"testing"

	"github.com/nngen/nngen/spec"
)

// TestRangeKernel: R3's batched residual sums, bias + relus and relu
// gradients run range kernels, their views in the kernel's parameter
// order; an op whose row view is part of its buffer, or whose fixed row is
// a batch buffer, or whose batch view is a layer's row, runs none.
func TestRangeKernel(t *testing.T) {
	p, err := Compile(loadSpecs(t)["r3_resnet.nn"], Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := map[ElemOp]int{}
	for _, f := range append(append([]*Func{}, p.Forward...), p.Backward...) {
		for _, b := range f.Blocks {
			for _, op := range b.Ops {
				e, ok := p.RangeKernel(op)
				if !ok {
					continue
				}
				found[e.Op]++
				if !e.Range || e.N != 64 || e.DType != spec.Float32 {
					t.Errorf("%s: range kernel %+v", f.Name, e)
				}
				if want := map[OpKind]ElemOp{OpAdd: Add, OpAddTo: AddRow, OpBiasRelu: AddRowRelu, OpActGrad: ReluGrad}[op.Kind]; e.Op != want {
					t.Errorf("%s: %s runs %s, want %s", f.Name, op.Kind, elemNames[e.Op], elemNames[want])
				}
			}
		}
	}
	for op, n := range map[ElemOp]int{Add: 4, AddRowRelu: 8, ReluGrad: 8, AddRow: 3} {
		if found[op] != n {
			t.Errorf("%d ops run %s, want %d", found[op], elemNames[op], n)
		}
	}
	for _, f := range p.Forward {
		for _, b := range f.Blocks {
			for _, op := range b.Ops {
				if _, ok := p.RangeKernel(op); !ok || op.Kind != OpBiasRelu {
					continue
				}
				z, bias := op.Reads[0], op.Reads[1]
				part := *op
				part.Reads = []View{{Buf: z.Buf, Len: z.Len / 2}, bias}
				part.Writes = []View{{Buf: z.Buf, Len: z.Len / 2}}
				if _, ok := p.RangeKernel(&part); ok {
					t.Errorf("%s: half of %s takes a range kernel", f.Name, z.Buf.Name)
				}
				swapped := *op
				swapped.Reads = []View{z, z}
				if _, ok := p.RangeKernel(&swapped); ok {
					t.Errorf("%s: a batch buffer as the fixed row takes a range kernel", f.Name)
				}
				return
			}
		}
	}
	t.Fatal("no bias + relu with a range kernel in R3's forward pass")
}
