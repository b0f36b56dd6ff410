package ir

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/nngen/nngen/spec"
)

// The sigmoid and tanh kernels need eˣ in SIMD, and their Generic twin must
// round exactly as the assembly does, so both compute it the same way
// (Cephes' exp and expf, S. L. Moshier): x clamped to a range where 2ⁿ
// stays a normal number, n = round(x·log₂e) by adding and subtracting
// 1.5·2^(mantissa bits) (the integer n then sits in the low bits of the
// sum), r = x − n·C₁ − n·C₂ with ln 2 = C₁ + C₂ split so that n·C₁ is
// exact, eʳ ≈ 1 + r + r²·P(r), and 2ⁿ added into the exponent field. Every
// product is a separate rounding (no FMA). The error is a few ulp of T.

// ExpConsts are the constants of eˣ in one dtype.
type ExpConsts struct {
	Lo, Hi   float64   // the clamp of x
	Log2e    float64   // log₂e
	Magic    float64   // 1.5·2^23 (float32) or 1.5·2^52 (float64): rounds to an integer
	C1, C2   float64   // ln 2 = C1 + C2, C1 with few mantissa bits
	P        []float64 // P(r) by Horner, highest degree first
	ExpShift int       // the exponent field's position: 23 or 52

	// tanh for x² < TanhLimit (|x| < 0.625), where 1 − 2/(e²ˣ + 1) would
	// lose the digits of a small result: x + (x·s)·P(s)/Q(s), s = x²
	// (Cephes' tanh, a rational function), or for float32 x + (P(s)·s)·x
	// (Cephes' tanhf, TanhQ empty); Q is monic, its leading 1 left out.
	TanhLimit    float64
	TanhP, TanhQ []float64
}

// ExpConstsOf is the table of dtype t.
func ExpConstsOf(t spec.DType) ExpConsts {
	if t == spec.Float64 {
		p := make([]float64, 12) // Taylor 1/k! for k = 13 … 2: |r| ≤ ln2/2 leaves r¹⁴/14! < 5e-18
		for i := range p {
			k := 13 - i
			f := 1.0
			for j := 2; j <= k; j++ {
				f *= float64(j)
			}
			p[i] = 1 / f
		}
		return ExpConsts{Lo: -708, Hi: 709, Log2e: math.Log2E, Magic: 6755399441055744,
			C1: 6.93145751953125e-1, C2: 1.42860682030941723212e-6, P: p, ExpShift: 52,
			TanhLimit: 0.390625,
			TanhP:     []float64{-9.64399179425052238628e-1, -9.92877231001918586564e1, -1.61468768441708447952e3},
			TanhQ:     []float64{1.12811678491632931402e2, 2.23548839060100448583e3, 4.84406305325125486048e3}}
	}
	return ExpConsts{Lo: -87, Hi: 88, Log2e: 1.44269504088896341, Magic: 12582912,
		C1: 0.693359375, C2: -2.12194440e-4,
		P:        []float64{1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1},
		ExpShift: 23, TanhLimit: 0.390625,
		TanhP: []float64{-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1}}
}

// Value is c as the kernels hold it: rounded to t.
func (ExpConsts) Value(c float64, t spec.DType) float64 {
	if t == spec.Float32 {
		return float64(float32(c))
	}
	return c
}

// Lit is c rounded to t, as the shortest Go literal that converts back to it.
func (e ExpConsts) Lit(c float64, t spec.DType) string {
	if t == spec.Float32 {
		return strconv.FormatFloat(float64(float32(c)), 'g', -1, 32)
	}
	return strconv.FormatFloat(c, 'g', -1, 64)
}

// ExpName is the Go helper computing eˣ in t: expf32, expf64.
func ExpName(t spec.DType) string {
	if t == spec.Float64 {
		return "expf64"
	}
	return "expf32"
}

// ExpBits are the names of T's bit conversions: math.Float32bits and
// math.Float32frombits, or the Float64 pair.
func ExpBits(t spec.DType) (bits, from string) {
	if t == spec.Float64 {
		return "Float64bits", "Float64frombits"
	}
	return "Float32bits", "Float32frombits"
}

// ExpBody is the Go of ExpName(t) up to its return, which adds
// (bits(t) − bits(Magic)) << ExpShift to p's bits, then z: the assembly's
// operations in the same order.
func ExpBody(t spec.DType) []string {
	c := ExpConstsOf(t)
	T := t.String()
	l := func(v float64) string { return c.Lit(v, t) }
	s := []string{
		fmt.Sprintf("\tx = min(max(x, %s), %s)", l(c.Lo), l(c.Hi)),
		fmt.Sprintf("\tt := %s(x*%s) + %s // n in the low bits", T, l(c.Log2e), l(c.Magic)),
		fmt.Sprintf("\tn := t - %s", l(c.Magic)),
		fmt.Sprintf("\tr := x - %s(n*%s)", T, l(c.C1)),
		"\tz := x - x // 0, or NaN for a NaN x: added last, so that eˣ of NaN is NaN",
		fmt.Sprintf("\tr -= %s(n * %s)", T, l(c.C2)),
		fmt.Sprintf("\tp := %s(r*%s) + %s", T, l(c.P[0]), l(c.P[1])),
	}
	for _, k := range c.P[2:] {
		s = append(s, fmt.Sprintf("\tp = %s(p*r) + %s", T, l(k)))
	}
	return append(s, fmt.Sprintf("\tp = %s(p*%s(r*r)) + r + 1", T, T))
}

// ExpDoc is ExpName(t)'s doc comment.
func ExpDoc(t spec.DType) string {
	return fmt.Sprintf("%s is eˣ as the sigmoid and tanh kernels compute it, every operation\n"+
		"rounded in %s as the assembly rounds it (Cephes' exp).", ExpName(t), t)
}

// ExpSource is the whole of ExpName(t) in Go, importing math.
func ExpSource(t spec.DType) string {
	c := ExpConstsOf(t)
	bits, from := ExpBits(t)
	s := "// " + strings.ReplaceAll(ExpDoc(t), "\n", "\n// ") + "\n"
	s += fmt.Sprintf("func %s(x %s) %s {\n%s\n", ExpName(t), t, t, strings.Join(ExpBody(t), "\n"))
	s += fmt.Sprintf("\treturn math.%s(math.%s(p)+(math.%s(t)-math.%s(%s))<<%d) + z\n}\n", from, bits, bits, bits, c.Lit(c.Magic, t), c.ExpShift)
	return s
}

// TanhName is the Go helper computing tanh in t: tanhf32, tanhf64.
func TanhName(t spec.DType) string { return "tanh" + ExpName(t)[3:] }

// TanhSource is TanhName(t) in Go: the tanh kernels' operations in order
// (it calls ExpName(t)).
func TanhSource(t spec.DType) string {
	c := ExpConstsOf(t)
	T := t.String()
	l := func(v float64) string { return c.Lit(v, t) }
	plus := func(v float64) string {
		if v < 0 {
			return " - " + l(-v)
		}
		return " + " + l(v)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "// %s is tanh as the tanh kernels compute it: for |x| < 0.625 Cephes'\n", TanhName(t))
	fmt.Fprintf(&b, "// polynomial, which keeps a small result's digits, else 1 − 2/(e²ˣ + 1).\n")
	fmt.Fprintf(&b, "func %s(x %s) %s {\n", TanhName(t), T, T)
	fmt.Fprintf(&b, "\tif s := x * x; s < %s {\n", l(c.TanhLimit))
	fmt.Fprintf(&b, "\t\tp := %s(s*%s)%s\n", T, l(c.TanhP[0]), plus(c.TanhP[1]))
	for _, k := range c.TanhP[2:] {
		fmt.Fprintf(&b, "\t\tp = %s(p*s)%s\n", T, plus(k))
	}
	if len(c.TanhQ) == 0 {
		fmt.Fprintf(&b, "\t\treturn %s(%s(p*s)*x) + x\n", T, T)
	} else {
		fmt.Fprintf(&b, "\t\tq := s%s\n", plus(c.TanhQ[0]))
		for _, k := range c.TanhQ[1:] {
			fmt.Fprintf(&b, "\t\tq = %s(q*s)%s\n", T, plus(k))
		}
		fmt.Fprintf(&b, "\t\treturn x + %s(%s(x*s)*(p/q))\n", T, T)
	}
	fmt.Fprintf(&b, "\t}\n\treturn 1 - 2/(%s(x+x)+1)\n}\n", ExpName(t))
	return b.String()
}
