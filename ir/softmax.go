package ir

import "fmt"

// Cross-entropy's loss takes, for each example's row of N logits t, its
// maximum, every e^(t − max) and their sum (7.6, by log-sum-exp). The
// Softmax kernel computes all three for a run of rows, so that the
// exponentials run in SIMD (eˣ as the sigmoid kernels compute it,
// exp.go) rather than one math.Exp call each: R2's Step spent 6% there.
//
// As the layer-norm sums do, the row's maximum and sum run in 16
// interleaved partials, element i into partial i mod 16, reduced by halving
// (partial j with partial j+w for w = 8, 4, 2, 1), on every path. The
// maximum is MAXPS's: a > b ? a : b, which takes b when either is NaN or
// both are zero, and its partials start from t[0]; so assembly and Generic
// agree bit for bit, ±0 included, and are NaN in the same places (a NaN's
// payload may differ). A NaN logit makes its row's sum,
// and so the loss and the row's gradient, NaN either way. Generic takes
// Go's max first, which compiles without branches, and follows the
// partials only where that is NaN or ±0: otherwise the maximum is one
// value with one bit pattern, whatever the order (the partials' compares
// mispredicted enough to make Generic slower than math.Exp's loop).

// HasAVX2 reports whether e's kernel has an AVX2 function. The softmax
// has not: with its eˣ unrolled over the two YMM of a chunk it would be
// about 130 lines, which would take R2's assembly past the 2,000 lines a
// reviewer reads (gen.TestKernelDiffSize), for about 1 µs of a 70 µs Step;
// on AVX2 its Generic twin runs.
func (e Elementwise) HasAVX2() bool { return e.Op != Softmax }

// softmaxLoop is the Softmax kernel's Go: Generic's body and the
// assembly's doc.
func (e Elementwise) softmaxLoop() []string {
	t, n := e.DType.String(), e.N
	l := []string{
		"\tfor r := range sum {",
		fmt.Sprintf("\t\tt, exps := (*[%d]%s)(t[r*%d:]), (*[%d]%s)(exps[r*%d:])", n, t, n, n, t, n),
		"\t\tm := t[0] // the maximum, by Go's max: the partials' order matters only for a NaN or ±0 maximum",
		fmt.Sprintf("\t\tfor i := range %d {", n),
		"\t\t\tm = max(m, t[i])",
		"\t\t}",
		"\t\tif m != m || m == 0 {",
		fmt.Sprintf("\t\t\tvar p [16]%s", t),
		"\t\t\tfor j := range p {",
		"\t\t\t\tp[j] = t[0]",
		"\t\t\t}",
		fmt.Sprintf("\t\t\tfor i := range %d {", n),
		"\t\t\t\tif !(p[i%16] > t[i]) { // MAXPS: t[i] where either is NaN or both are zero",
		"\t\t\t\t\tp[i%16] = t[i]",
		"\t\t\t\t}",
		"\t\t\t}",
	}
	l = append(l, indent(halving("p", func(a, b string) []string {
		return []string{fmt.Sprintf("if !(%s > %s) {", a, b), fmt.Sprintf("\t%s = %s", a, b), "}"}
	}), "\t\t")...)
	l = append(l,
		"\t\t\tm = p[0]",
		"\t\t}",
		"\t\tmx[r] = m",
		fmt.Sprintf("\t\tvar s [16]%s", t),
		fmt.Sprintf("\t\tfor i := range %d {", n),
		fmt.Sprintf("\t\t\tx := %s(t[i] - m)", ExpName(e.DType)),
		"\t\t\texps[i] = x",
		"\t\t\ts[i%16] += x",
		"\t\t}")
	l = append(l, indent(halving("s", func(a, b string) []string { return []string{a + " += " + b} }), "\t")...)
	return append(l, "\t\tsum[r] = s[0]", "\t}")
}

// halving is the reduction of 16 partials p by halving, p[j] with p[j+w]
// for w = 8, 4, 2, 1 (one tab of indentation), step the Go of one pair.
func halving(p string, step func(a, b string) []string) []string {
	l := []string{"\tfor w := 8; w > 0; w /= 2 {", "\t\tfor j := range w {"}
	for _, s := range step(p+"[j]", p+"[j+w]") {
		l = append(l, "\t\t\t"+s)
	}
	return append(l, "\t\t}", "\t}")
}

// indent prefixes every line with in.
func indent(lines []string, in string) []string {
	out := make([]string, len(lines))
	for i, s := range lines {
		out[i] = in + s
	}
	return out
}
