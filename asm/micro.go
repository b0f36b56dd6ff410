package asm

import (
	"fmt"
	"sort"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	avoir "github.com/mmcloughlin/avo/ir"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/nngen/nngen/ir"
)

// Micro-kernels: a product's function (the driver) holds its shape only in
// immediates: it loads strides and counts into the registers below, loops
// over column panels and CALLs one micro-kernel per run of row tiles. A
// micro-kernel is a static function (name<>, no Go declaration) keyed by
// path, form, tile shape and variant, emitted once per file however many
// products use it, and the same bytes whatever the shape: changing a
// layer's width changes a driver's immediates, not the tile code (a tile
// summed over examples, dtile.ex, is the exception: its example walk is in
// immediates, and in its name).
//
// Register contract between a driver and its micro-kernels:
//
//	constants  regStrA  A's row stride (NN, dot form) or k step (TN), bytes
//	           regStrC  C's row stride (and B's, unpacked broadcast form)
//	           regK     k steps: K (broadcast form), K/lanes (dot form); examples (dtile.ex)
//	kept       regBPanel B at the panel (or its packed copy); regPanels;
//	           regPanelC (a row range's panel start), but in a tile summed over examples
//	in, moved  regATile, regCTile: A and C at the first tile, on return
//	           past the last; regTiles: how many tiles of rows to run
//	scratch    regAWalk, regBWalk, regKCnt, regBase2, regBase3, vectors
//
// Masks are the driver's too: K1 on AVX-512, the last vector register on
// AVX2 (maskReg).

// microSet collects the micro-kernels the drivers call, to emit each once.
type microSet map[string]func(*build.Context)

// call emits a CALL of the micro-kernel name, recording its emitter.
func (k *kb) call(name string, emit func(*kb)) {
	s, masks, d := k.s, k.masks, k.m.DType
	k.micro[name] = func(ctx *build.Context) {
		ctx.Function(name + "<>")
		ctx.Attributes(attr.NOSPLIT)
		emit(&kb{Context: ctx, m: ir.Matmul{DType: d}, s: s, esize: elemSize(d), lanes: s.lanes(elemSize(d)), masks: masks})
		ctx.RET()
	}
	sym := operand.Mem{Symbol: operand.Symbol{Name: "·" + name, Static: true}, Base: reg.StaticBase}
	k.Instruction(&avoir.Instruction{Opcode: "CALL", Operands: []operand.Op{sym}})
}

// emit appends the micro-kernels to the file, sorted by name.
func (ms microSet) emit(ctx *build.Context) {
	names := make([]string, 0, len(ms))
	for n := range ms {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ms[n](ctx)
	}
}

// microName is a micro-kernel's name: form, tile, variants, type, path.
func microName(form string, rows, cols int, variants string, k *kb) string {
	t := "f32"
	if k.f64() {
		t = "f64"
	}
	return fmt.Sprintf("%s%dx%d%s%s%s", form, rows, cols, variants, t, k.s.name)
}

// inheritISA adds to each function's Requires line the extensions of the
// micro-kernels it calls (run after avo's RequiredISAExtensions).
func inheritISA(f *avoir.File) {
	isa := map[string][]string{}
	for _, fn := range f.Functions() {
		isa["·"+fn.Name] = fn.ISA
	}
	for _, fn := range f.Functions() {
		set := map[string]bool{}
		for _, x := range fn.ISA {
			set[x] = true
		}
		for _, in := range fn.Instructions() {
			if in.Opcode == "CALL" {
				for _, x := range isa[in.Operands[0].(operand.Mem).Symbol.String()] {
					set[x] = true
				}
			}
		}
		fn.ISA = fn.ISA[:0]
		for x := range set {
			fn.ISA = append(fn.ISA, x)
		}
		sort.Strings(fn.ISA)
	}
}
