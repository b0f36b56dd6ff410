package asm

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	avoir "github.com/mmcloughlin/avo/ir"
	"github.com/mmcloughlin/avo/pass"
	"github.com/mmcloughlin/avo/printer"

	"github.com/nngen/nngen/internal/header"
	"github.com/nngen/nngen/ir"
)

// Generator is the name recorded in the generated files' header.
const Generator = header.Tool

// File name suffixes of Emit's output; Emit prepends its prefix.
const (
	FileAsm   = "kernels_amd64.s"
	FileAMD64 = "kernels_amd64.go"
	FileNoAsm = "kernels_noasm.go"
)

// Emit generates the assembly kernels and their dispatch for package pkg;
// see the package documentation for the contract.
func Emit(pkg, prefix string, kernels []ir.Matmul, updates []ir.Update, elems []ir.Elementwise) (map[string][]byte, error) {
	ks, us, es := uniqueSorted(kernels), uniqueUpdates(updates), uniqueElems(elems)
	f, err := buildAsm(ks, us, es)
	if err != nil {
		return nil, err
	}
	cfg := printer.Config{Name: Generator, Pkg: pkg}
	s, err := printer.NewGoAsm(cfg).Print(f)
	if err != nil {
		return nil, fmt.Errorf("print assembly: %w", err)
	}
	s = staticStub.ReplaceAll(s, nil)
	amd64, err := amd64Source(pkg, ks, us, es, f)
	if err != nil {
		return nil, err
	}
	noasm, err := noasmSource(pkg, ks, us, es)
	if err != nil {
		return nil, err
	}
	return map[string][]byte{
		prefix + FileAsm:   s,
		prefix + FileAMD64: amd64,
		prefix + FileNoAsm: noasm,
	}, nil
}

// staticStub matches the Go declaration avo prints above a static function
// (a micro-kernel), which has none.
var staticStub = regexp.MustCompile(`(?m)^// func \S+<>\(\)\n`)

// uniqueSorted drops repeated kernels and sorts by name for stable output.
func uniqueSorted(kernels []ir.Matmul) []ir.Matmul {
	seen := map[string]bool{}
	var ks []ir.Matmul
	for _, m := range kernels {
		if !seen[m.Name()] {
			seen[m.Name()] = true
			ks = append(ks, m)
		}
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].Name() < ks[j].Name() })
	return ks
}

// HasAsm reports whether m gets assembly kernels; the others (a zero
// dimension, or both operands transposed) always run their Generic body.
func HasAsm(m ir.Matmul) bool {
	return m.M > 0 && m.N > 0 && m.K > 0 && !(m.TransA && m.TransB)
}

// buildAsm builds and compiles the avo file: every kernel and update on
// every path, then the elementwise kernels, feature detection and the mask
// table.
func buildAsm(ks []ir.Matmul, us []ir.Update, es []ir.Elementwise) (*avoir.File, error) {
	ctx := build.NewContext()
	ctx.ConstraintExpr("gc,!purego")
	masks, micro := &maskTable{}, microSet{}
	others := othersTiles(ks)
	for _, m := range ks {
		if !HasAsm(m) {
			continue
		}
		for _, s := range kernelPaths(m) {
			emitKernel(ctx, m, s, masks, micro, others[m.Name()+s.name])
		}
	}
	micro.emit(ctx)
	for _, u := range us {
		for _, s := range paths {
			emitUpdate(ctx, u, s, masks)
		}
	}
	for _, e := range es {
		for _, s := range elemPaths(e) {
			emitElem(ctx, e, s, masks)
		}
	}
	emitCPUID(ctx)
	emitRateProbes(ctx)
	emitXGETBV(ctx)
	masks.emit(ctx)
	f, err := ctx.Result()
	if err != nil {
		return nil, fmt.Errorf("build assembly: %w", err)
	}
	if err := pass.Compile.Execute(f); err != nil {
		return nil, fmt.Errorf("compile assembly: %w", err)
	}
	inheritISA(f)
	return f, nil
}

// othersTiles returns for each kernel function the micro-kernels it may
// share (reuseBonus): it plans the kernels from the smallest product up,
// each preferring what the ones planned before it call, so that a small
// product takes a tile a smaller one has and a file holds fewer of them,
// and no kernel moves to a tile whose user moves away later.
func othersTiles(ks []ir.Matmul) map[string]map[string]bool {
	order := slices.Clone(ks)
	slices.SortStableFunc(order, func(a, b ir.Matmul) int { return cmp.Compare(a.Flops(), b.Flops()) })
	decided, shared := map[string]bool{}, map[string]map[string]bool{}
	for _, m := range order {
		if !HasAsm(m) {
			continue
		}
		for _, s := range kernelPaths(m) {
			shared[m.Name()+s.name] = maps.Clone(decided)
			ms := microSet{}
			emitKernel(build.NewContext(), m, s, &maskTable{}, ms, decided)
			for n := range ms {
				decided[n] = true
			}
		}
	}
	return shared
}

// emitKernel emits m's function for path s, recording the micro-kernels
// it calls in micro; shared are the micro-kernels other kernels of the
// file call (othersTiles; nil: none).
func emitKernel(ctx *build.Context, m ir.Matmul, s isa, masks *maskTable, micro microSet, shared map[string]bool) {
	ctx.Function(m.Name() + s.name)
	ctx.Attributes(attr.NOSPLIT)
	ctx.SignatureExpr(signature(m))
	ctx.Doc(stubDoc(m.Name(), s)...)
	ctx.Pragma("noescape")
	k := newKB(ctx, m, s, masks)
	k.micro = micro
	if m.TransB {
		plan := func(have func(mr, nr int) bool) dplan {
			return planDot(s, k.lanes, k.group(), m.M, m.N, m.K, k.esize, k.batchedRows(), k.overlaps(), m.Taps, m.Examples, have)
		}
		best := plan(nil)
		if best.mr == 0 {
			panic("asm: no dot-form tile for " + m.Name())
		}
		// The transposed form competes with the best dot tile, not with a
		// shared one the model rates worse.
		if bp, ok := k.tposePlan(dotCost(s, k.lanes, k.group(), best, m.M, m.N, m.K)); ok {
			ctx.Attributes(0) // a frame: let the assembler check the stack
			k.pack, k.packs, k.tpose = ctx.AllocLocal(m.K*bp.maxW()*s.vecBytes+packSlack), true, true
			k.saved = ctx.AllocLocal(8)
			k.emitBcast(bp)
			k.ret()
			return
		}
		p := plan(func(mr, nr int) bool { return shared[k.dotName(k.dtileOf(dplan{mr: mr, nr: nr, split: 1}, mr, nr))] })
		if p.align {
			ctx.Attributes(0) // a frame: let the assembler check the stack
			k.pack = ctx.AllocLocal(k.vectorBytes())
		}
		if n := exampleChunk(m); n > 0 {
			ctx.Attributes(0)
			k.chunk = chunkSlots{n: n, left: ctx.AllocLocal(8), a: ctx.AllocLocal(8), b: ctx.AllocLocal(8)}
		}
		k.emitDot(p)
	} else {
		p := planBcast(s, k.lanes, m.M, m.N, m.K, m.Accumulate, !m.TransA, !m.Windowed())
		if len(p.groups) == 0 {
			panic("asm: no broadcast-form tile for " + m.Name())
		}
		if n := k.packBytes(p); n > 0 {
			ctx.Attributes(0) // a frame: let the assembler check the stack
			k.pack, k.packs = ctx.AllocLocal(n+packSlack), true
			k.saved = ctx.AllocLocal(8)
		}
		k.emitBcast(p)
	}
	k.ret()
}

// goType is the element type's Go name.
func goType(m ir.Matmul) string { return m.DType.String() }

// signature is the Go signature shared by Generic, the assembly variants
// and the dispatcher.
func signature(m ir.Matmul) string {
	t := goType(m)
	rows := ""
	if m.Batched {
		rows = ", lo, hi int"
	}
	return fmt.Sprintf("func(c *[%d]%s, a *[%d]%s, b *[%d]%s%s)",
		m.M*m.N, t, m.ALen(), t, m.BLen(), t, rows)
}
