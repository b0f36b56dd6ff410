package gen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/nngen/nngen/ir"
)

// kernelsFile holds the generic body of every distinct matrix product and
// SIMD parameter update (update.go).
// Each is always compiled, so tests can compare it with the assembly.
func (e *emitter) kernelsFile() *jen.File {
	f := e.newFile()
	for _, k := range e.p.Kernels() {
		e.generic(f, k)
	}
	for _, k := range e.goKernels() {
		f.Comment(k.Name() + " is plain Go: a call into assembly would cost more than the product.")
		f.Func().Id(k.Name()).Params(e.kernelParams(k)...).Block(
			jen.Id(k.Name() + "Generic").Call(kernelArgs(k)...))
		f.Line()
	}
	e.emitUpdateGenerics(f)
	return f
}

// generic emits k's Generic twin: its reference loop as the doc comment,
// a body over the constants M, N and K.
func (e *emitter) generic(f *jen.File, k ir.Matmul) {
	comment(f, kernelDoc(k, k.Name()+"Generic"))
	body := append([]jen.Code{jen.Const().List(jen.Id("M"), jen.Id("N"), jen.Id("K")).Op("=").List(jen.Lit(k.M), jen.Lit(k.N), jen.Lit(k.K))}, e.kernelBody(k)...)
	f.Func().Id(k.Name() + "Generic").Params(e.kernelParams(k)...).Block(body...)
	f.Line()
}

// MatmulGenerics is a Go file of package pkg with the Generic twins of the
// products ks, as the generated packages have them (any element types):
// the kernel tests (asm/internal/kerneltest) compare the assembly with
// these, so that one emitter writes every Generic.
func MatmulGenerics(pkg string, ks []ir.Matmul) ([]byte, error) {
	e := &emitter{opts: Options{Package: pkg, UnrollMax: DefaultUnrollMax, Unroll: DefaultUnroll}}
	f := e.newFile()
	for _, k := range ks {
		e.generic(f, k)
	}
	return render(f)
}

// isStraightLine reports whether k's generic body has no loops
// (M·N·K ≤ UnrollMax): such products stay in Go on every path.
func (e *emitter) isStraightLine(k ir.Matmul) bool { return e.p.Plan.StraightLine(k) }

// asmKernels are the products that get assembly; goKernels the others.
func (e *emitter) asmKernels() []ir.Matmul { return e.kernelsWhere(false) }
func (e *emitter) goKernels() []ir.Matmul  { return e.kernelsWhere(true) }

func (e *emitter) kernelsWhere(straight bool) []ir.Matmul {
	var ks []ir.Matmul
	for _, k := range e.p.Kernels() {
		if e.isStraightLine(k) == straight {
			ks = append(ks, k)
		}
	}
	return ks
}

func (e *emitter) kernelParams(k ir.Matmul) []jen.Code {
	ps := []jen.Code{
		jen.Id("c").Op("*").Index(jen.Lit(k.M * k.N)).Id(k.DType.String()),
		jen.Id("a").Op("*").Index(jen.Lit(k.ALen())).Id(k.DType.String()),
		jen.Id("b").Op("*").Index(jen.Lit(k.BLen())).Id(k.DType.String()),
	}
	if k.Batched {
		ps = append(ps, jen.List(jen.Id("lo"), jen.Id("hi")).Int())
	}
	return ps
}

// kernelArgs are the parameters passed on: c, a, b (, lo, hi).
func kernelArgs(k ir.Matmul) []jen.Code {
	args := []jen.Code{jen.Id("c"), jen.Id("a"), jen.Id("b")}
	if k.Batched {
		args = append(args, jen.Id("lo"), jen.Id("hi"))
	}
	return args
}

// kernelDoc is the reference loop (ir.Matmul.ReferenceLoop) with its
// shape.
func kernelDoc(k ir.Matmul, name string) string {
	op := "="
	if k.Accumulate {
		op = "+="
	}
	opA, opB := "A", "B"
	if k.TransA {
		opA = "Aᵀ"
	}
	if k.TransB {
		opB = "Bᵀ"
	}
	if k.Windowed() {
		opB += fmt.Sprintf(" (B the im2col matrix of %d padded channels of %d elements, read in place)", k.Channels(), k.LdB)
	}
	if k.Flip {
		opA = "A (a convolution's weight, taps mirrored)"
	}
	rows := ""
	switch {
	case k.Examples > 0:
		rows = fmt.Sprintf(", summed over the examples [lo, hi) (whole batch: 0, %d), each M×K of A and %d of B", k.Examples, k.BExample())
	case k.Batched && k.TransA:
		rows = fmt.Sprintf(", summing over the batch rows [lo, hi) of K only (whole batch: 0, %d)", k.K)
	case k.Batched:
		rows = fmt.Sprintf(", rows [lo, hi) of the batch only (whole batch: 0, %d)", k.M)
	}
	return fmt.Sprintf("%s is C %s %s·%s (C is M×N) for %s%s:\n\n%s",
		name, op, opA, opB, strings.TrimPrefix(k.Consts(), "const "), rows, strings.Join(k.ReferenceLoop(), "\n"))
}

// operands index A(i,k) and B(k,j) per transposition.
func operands(k ir.Matmul) (a, b func(i, kk ix) *jen.Statement) {
	a = func(i, kk ix) *jen.Statement { return jen.Id("a").Index(i.timesConst("K", k.K).add(kk).code()) }
	if k.TransA {
		a = func(i, kk ix) *jen.Statement { return jen.Id("a").Index(kk.timesConst("M", k.M).add(i).code()) }
	}
	b = func(kk, j ix) *jen.Statement { return jen.Id("b").Index(kk.timesConst("N", k.N).add(j).code()) }
	if k.TransB {
		b = func(kk, j ix) *jen.Statement { return jen.Id("b").Index(j.timesConst("K", k.K).add(kk).code()) }
	}
	return a, b
}

// cAt is C[i][j], over the Generic's constant N.
func cAt(k ir.Matmul, i, j ix) *jen.Statement {
	return jen.Id("c").Index(i.timesConst("N", k.N).add(j).code())
}

// kernelBody sums over k in order for every C element, as the doc loop does.
// Small products are straight-line; otherwise the loop order keeps the
// innermost loop on contiguous memory: dot products when B is transposed,
// axpy rows of B otherwise.
func (e *emitter) kernelBody(k ir.Matmul) []jen.Code {
	if k.Examples > 0 {
		return e.kernelExamples(k)
	}
	if k.Windowed() {
		return e.kernelWindow(k)
	}
	if k.M*k.N*k.K <= e.opts.UnrollMax && !k.Batched {
		return e.kernelStraight(k)
	}
	if k.TransB {
		return e.kernelDot(k)
	}
	return e.kernelAxpy(k)
}

func (e *emitter) kernelStraight(k ir.Matmul) []jen.Code {
	a, b := operands(k)
	var out []jen.Code
	for i := 0; i < k.M; i++ {
		for j := 0; j < k.N; j++ {
			sum := jen.Null()
			if k.Accumulate {
				sum.Add(cAt(k, lit(i), lit(j))).Op("+")
			}
			for kk := 0; kk < k.K; kk++ {
				if kk > 0 {
					sum.Op("+")
				}
				sum.Add(a(lit(i), lit(kk))).Op("*").Add(b(lit(kk), lit(j)))
			}
			out = append(out, cAt(k, lit(i), lit(j)).Op("=").Add(sum))
		}
	}
	return out
}

// kernelDot: for i, j: s = Σ_k A(i,k)·B(j,k), k unrolled.
func (e *emitter) kernelDot(k ir.Matmul) []jen.Code {
	a, b := operands(k)
	i, j := e.kernelVar("i", k.M), vr("j")
	s0 := jen.Id(k.DType.String()).Call(jen.Lit(0))
	if k.Accumulate {
		s0 = cAt(k, i, j)
	}
	body := []jen.Code{jen.Id("s").Op(":=").Add(s0)}
	body = append(body, e.unrolledTo("k", 0, k.K, "K", func(kk ix) []jen.Code {
		return []jen.Code{jen.Id("s").Op("+=").Add(a(i, kk)).Op("*").Add(b(kk, j))}
	})...)
	body = append(body, cAt(k, i, j).Op("=").Id("s"))
	return e.kernelRows(k, forTo("j", 0, jen.Id("N"), 1, body))
}

// kernelAxpy: C = 0 (unless accumulating); for i, k: C[i,:] += A(i,k)·B[k,:].
// With A transposed the k loop goes outside, so A's rows are read in order.
func (e *emitter) kernelAxpy(k ir.Matmul) []jen.Code {
	a, b := operands(k)
	var out []jen.Code
	switch {
	case k.Accumulate:
	case k.Batched && !k.TransA: // only the rows [lo, hi) are this call's
		out = append(out, jen.Id("clear").Call(jen.Id("c").Index(jen.Id("lo").Op("*").Id("N"), jen.Id("hi").Op("*").Id("N"))))
	default:
		out = append(out, jen.Id("clear").Call(jen.Id("c").Index(jen.Empty(), jen.Empty())))
	}
	i, kk := e.kernelVar("i", k.M), vr("k")
	row := []jen.Code{jen.Id("aik").Op(":=").Add(a(i, kk))}
	row = append(row, e.unrolledTo("j", 0, k.N, "N", func(j ix) []jen.Code {
		return []jen.Code{cAt(k, i, j).Op("+=").Id("aik").Op("*").Add(b(kk, j))}
	})...)
	if k.TransA {
		inner := forTo("i", 0, jen.Id("M"), 1, row)
		if k.M == 1 {
			inner = jen.Block(row...)
		}
		if k.Batched {
			return append(out, forRange("k", jen.Id("lo"), jen.Id("hi"), []jen.Code{inner}))
		}
		return append(out, forTo("k", 0, jen.Id("K"), 1, []jen.Code{inner}))
	}
	return append(out, e.kernelRows(k, forTo("k", 0, jen.Id("K"), 1, row))...)
}

// kernelVar is the row variable, or the constant 0 when there is one row.
func (e *emitter) kernelVar(v string, n int) ix {
	if n == 1 {
		return lit(0)
	}
	return vr(v)
}

func (e *emitter) kernelRows(k ir.Matmul, inner jen.Code) []jen.Code {
	if k.Batched {
		return []jen.Code{forRange("i", jen.Id("lo"), jen.Id("hi"), []jen.Code{inner})}
	}
	if k.M == 1 {
		return []jen.Code{inner}
	}
	return []jen.Code{forTo("i", 0, jen.Id("M"), 1, []jen.Code{inner})}
}

// kernelWindow is a windowed product (direct convolution), k = ch·Taps +
// kh·KW + kw: C = 0 (unless accumulating); for i, ch, kh, kw:
// C[i,:] += A[i][k]·B[ch·LdB + kw·(Shift+1) + kh·Row:][:N] (ir.Window).
func (e *emitter) kernelWindow(k ir.Matmul) []jen.Code {
	if k.TransB {
		return e.kernelWindowDot(k)
	}
	if k.TransA || k.Batched {
		panic("gen: windowed product " + k.Name() + " is not NN or NT")
	}
	var out []jen.Code
	if !k.Accumulate {
		out = append(out, jen.Id("clear").Call(jen.Id("c").Index(jen.Empty(), jen.Empty())))
	}
	kh := k.Taps / k.KW
	i, ch, kr, kc := e.kernelVar("i", k.M), e.kernelVar("ch", k.Channels()), e.kernelVar("kh", kh), vr("kw")
	tap := ch.times(k.LdB).add(kc.times(k.Shift + 1)).add(kr.times(k.Row))
	aik := i.times(k.K).add(ch.times(k.Taps)).add(kr.times(k.KW)).add(kc).code()
	if k.Flip { // a[ch·M·Taps + i·Taps + Taps−1 − (kh·KW + kw)]
		tap := kc.code()
		if kh > 1 {
			tap = jen.Parens(kr.times(k.KW).add(kc).code())
		}
		aik = ch.times(k.M * k.Taps).add(i.times(k.Taps)).plus(k.Taps - 1).code().Op("-").Add(tap)
	}
	row := []jen.Code{jen.Id("aik").Op(":=").Id("a").Index(aik)}
	row = append(row, e.unrolled("j", 0, k.N, func(j ix) []jen.Code {
		b := jen.Id("b").Index(tap.add(j).code())
		return []jen.Code{cAt(k, i, j).Op("+=").Id("aik").Op("*").Add(b)}
	})...)
	taps := forLoop("kw", 0, k.KW, 1, row)
	if kh > 1 {
		taps = forLoop("kh", 0, kh, 1, []jen.Code{taps})
	}
	if k.Channels() > 1 {
		taps = forLoop("ch", 0, k.Channels(), 1, []jen.Code{taps})
	}
	return append(out, e.kernelRows(k, taps)...)
}

// kernelWindowDot is a windowed NT product (a direct convolution's weight
// gradient), j = ch·Taps + kh·KW + kw: for i, ch, kh, kw:
// s = Σ_k A[i][k]·B[ch·LdB + kw·(Shift+1) + kh·Row + k].
func (e *emitter) kernelWindowDot(k ir.Matmul) []jen.Code {
	kh := k.Taps / k.KW
	i, ch, kr, kc := e.kernelVar("i", k.M), e.kernelVar("ch", k.Channels()), e.kernelVar("kh", kh), vr("kw")
	j := ch.times(k.Taps).add(kr.times(k.KW)).add(kc)
	tap := ch.times(k.LdB).add(kc.times(k.Shift + 1)).add(kr.times(k.Row))
	s0 := jen.Id(k.DType.String()).Call(jen.Lit(0))
	if k.Accumulate {
		s0 = cAt(k, i, j)
	}
	body := []jen.Code{jen.Id("s").Op(":=").Add(s0)}
	body = append(body, e.unrolled("k", 0, k.K, func(kk ix) []jen.Code {
		return []jen.Code{jen.Id("s").Op("+=").Id("a").Index(i.times(k.K).add(kk).code()).Op("*").Id("b").Index(tap.add(kk).code())}
	})...)
	body = append(body, cAt(k, i, j).Op("=").Id("s"))
	taps := forLoop("kw", 0, k.KW, 1, body)
	if kh > 1 {
		taps = forLoop("kh", 0, kh, 1, []jen.Code{taps})
	}
	if k.Channels() > 1 {
		taps = forLoop("ch", 0, k.Channels(), 1, []jen.Code{taps})
	}
	return e.kernelRows(k, taps)
}

// kernelExamples is a product summed over examples [lo, hi) (ir.Matmul.Examples):
// one example's product on each example's part of A and B in turn.
func (e *emitter) kernelExamples(k ir.Matmul) []jen.Code {
	one := k
	one.Examples, one.Batched = 0, false
	t := k.DType.String()
	part := []jen.Code{
		jen.List(jen.Id("a"), jen.Id("b")).Op(":=").List(
			jen.Parens(jen.Op("*").Index(jen.Id("M").Op("*").Id("K")).Id(t)).Call(jen.Id("a").Index(jen.Id("e").Op("*").Id("M").Op("*").Id("K"), jen.Empty())),
			jen.Parens(jen.Op("*").Index(jen.Lit(k.BExample())).Id(t)).Call(jen.Id("b").Index(jen.Id("e").Op("*").Lit(k.BExample()), jen.Empty()))),
	}
	return []jen.Code{forRange("e", jen.Id("lo"), jen.Id("hi"), append(part, e.kernelBody(one)...))}
}
