// Copyright 2009–2010 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in Go's LICENSE file.
//
// The algorithms and coefficients are those of Go's pure-Go math package
// (from FreeBSD's msun, the Cephes library for tanh).

// Package pmath is portable elementary functions for the reference: the
// same bits on every GOOS/GOARCH and build tag.
//
// The reference's values are written into generated tests and compared byte
// for byte in CI, so they must not depend on the machine nngen runs on. The
// standard library's math does: Exp and Log are assembly on amd64 (and Exp
// on arm64, loong64), nearly every function is assembly on s390x, and the
// pure-Go versions are compiled with x*y+z fused into one FMA on arm64,
// ppc64, s390x, riscv64 and amd64 with GOAMD64=v3. Each of these may change
// the last bit. This package is Go's pure-Go code with every product that
// is added to something rounded first by an explicit float64 conversion
// (mul, poly), which the Go spec says prevents fusion; what remains (Abs,
// Frexp, Ldexp, Float64bits, Sqrt) is exact or correctly rounded
// everywhere. Accuracy is that of Go's math: within 1 ulp.
package pmath

import "math"

// mul is x·y rounded to float64: never fused into a neighbouring addition.
func mul(x, y float64) float64 { return float64(x * y) }

// poly is c[0] + x·(c[1] + x·(c[2] + … + x·c[n-1])), Horner's rule with
// every product rounded: the nested expressions of Go's math, term for term.
func poly(x float64, c ...float64) float64 {
	r := c[len(c)-1]
	for i := len(c) - 2; i >= 0; i-- {
		r = c[i] + mul(x, r)
	}
	return r
}

// Exp is e^x (Go's math.exp).
func Exp(x float64) float64 {
	const (
		Ln2Hi     = 6.93147180369123816490e-01
		Ln2Lo     = 1.90821492927058770002e-10
		Log2e     = 1.44269504088896338700e+00
		Overflow  = 7.09782712893383973096e+02
		Underflow = -7.45133219101941108420e+02
		NearZero  = 1.0 / (1 << 28) // 2**-28
	)
	switch {
	case math.IsNaN(x):
		return x
	case x > Overflow:
		return math.Inf(1)
	case x < Underflow:
		return 0
	case -NearZero < x && x < NearZero:
		return 1 + x
	}
	// reduce; computed as r = hi - lo for extra precision.
	var k int
	switch {
	case x < 0:
		k = int(mul(Log2e, x) - 0.5)
	case x > 0:
		k = int(mul(Log2e, x) + 0.5)
	}
	hi := x - mul(float64(k), Ln2Hi)
	lo := mul(float64(k), Ln2Lo)
	return expmulti(hi, lo, k)
}

// expmulti returns e^r × 2^k where r = hi - lo and |r| ≤ ln(2)/2.
func expmulti(hi, lo float64, k int) float64 {
	const (
		P1 = 1.66666666666666657415e-01  /* 0x3FC55555; 0x55555555 */
		P2 = -2.77777777770155933842e-03 /* 0xBF66C16C; 0x16BEBD93 */
		P3 = 6.61375632143793436117e-05  /* 0x3F11566A; 0xAF25DE2C */
		P4 = -1.65339022054652515390e-06 /* 0xBEBBBD41; 0xC5D26BF1 */
		P5 = 4.13813679705723846039e-08  /* 0x3E663769; 0x72BEA4D0 */
	)
	r := hi - lo
	t := mul(r, r)
	c := r - mul(t, poly(t, P1, P2, P3, P4, P5))
	y := 1 - ((lo - mul(r, c)/(2-c)) - hi)
	return math.Ldexp(y, k)
}

// Log is the natural logarithm (Go's math.log).
func Log(x float64) float64 {
	const (
		Ln2Hi = 6.93147180369123816490e-01 /* 3fe62e42 fee00000 */
		Ln2Lo = 1.90821492927058770002e-10 /* 3dea39ef 35793c76 */
		L1    = 6.666666666666735130e-01   /* 3FE55555 55555593 */
		L2    = 3.999999999940941908e-01   /* 3FD99999 9997FA04 */
		L3    = 2.857142874366239149e-01   /* 3FD24924 94229359 */
		L4    = 2.222219843214978396e-01   /* 3FCC71C5 1D8E78AF */
		L5    = 1.818357216161805012e-01   /* 3FC74664 96CB03DE */
		L6    = 1.531383769920937332e-01   /* 3FC39A09 D078C69F */
		L7    = 1.479819860511658591e-01   /* 3FC2F112 DF3E5244 */
	)
	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return x
	case x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	}
	f1, ki := math.Frexp(x)
	if f1 < math.Sqrt2/2 {
		f1 *= 2
		ki--
	}
	f := f1 - 1
	k := float64(ki)
	s := f / (2 + f)
	s2 := mul(s, s)
	s4 := mul(s2, s2)
	t1 := mul(s2, poly(s4, L1, L3, L5, L7))
	t2 := mul(s4, poly(s4, L2, L4, L6))
	R := t1 + t2
	hfsq := mul(mul(0.5, f), f)
	return mul(k, Ln2Hi) - ((hfsq - (mul(s, hfsq+R) + mul(k, Ln2Lo))) - f)
}

// Log1p is log(1 + x), accurate for x near zero (Go's math.log1p).
func Log1p(x float64) float64 {
	const (
		Sqrt2M1     = 4.142135623730950488017e-01  // Sqrt(2)-1 = 0x3fda827999fcef34
		Sqrt2HalfM1 = -2.928932188134524755992e-01 // Sqrt(2)/2-1 = 0xbfd2bec333018866
		Small       = 1.0 / (1 << 29)              // 2**-29 = 0x3e20000000000000
		Tiny        = 1.0 / (1 << 54)              // 2**-54
		Two53       = 1 << 53                      // 2**53
		Ln2Hi       = 6.93147180369123816490e-01   // 3fe62e42fee00000
		Ln2Lo       = 1.90821492927058770002e-10   // 3dea39ef35793c76
		Lp1         = 6.666666666666735130e-01     // 3FE5555555555593
		Lp2         = 3.999999999940941908e-01     // 3FD999999997FA04
		Lp3         = 2.857142874366239149e-01     // 3FD2492494229359
		Lp4         = 2.222219843214978396e-01     // 3FCC71C51D8E78AF
		Lp5         = 1.818357216161805012e-01     // 3FC7466496CB03DE
		Lp6         = 1.531383769920937332e-01     // 3FC39A09D078C69F
		Lp7         = 1.479819860511658591e-01     // 3FC2F112DF3E5244
	)
	switch {
	case x < -1 || math.IsNaN(x): // includes -Inf
		return math.NaN()
	case x == -1:
		return math.Inf(-1)
	case math.IsInf(x, 1):
		return math.Inf(1)
	}
	absx := math.Abs(x)
	var f float64
	var iu uint64
	k := 1
	if absx < Sqrt2M1 { //  |x| < Sqrt(2)-1
		if absx < Small { // |x| < 2**-29
			if absx < Tiny { // |x| < 2**-54
				return x
			}
			return x - mul(mul(x, x), 0.5)
		}
		if x > Sqrt2HalfM1 { // Sqrt(2)/2-1 < x
			// (Sqrt(2)/2-1) < x < (Sqrt(2)-1)
			k = 0
			f = x
			iu = 1
		}
	}
	var c float64
	if k != 0 {
		var u float64
		if absx < Two53 { // 1<<53
			u = 1.0 + x
			iu = math.Float64bits(u)
			k = int((iu >> 52) - 1023)
			// correction term
			if k > 0 {
				c = 1.0 - (u - x)
			} else {
				c = x - (u - 1.0)
			}
			c /= u
		} else {
			u = x
			iu = math.Float64bits(u)
			k = int((iu >> 52) - 1023)
			c = 0
		}
		iu &= 0x000fffffffffffff
		if iu < 0x0006a09e667f3bcd { // mantissa of Sqrt(2)
			u = math.Float64frombits(iu | 0x3ff0000000000000) // normalize u
		} else {
			k++
			u = math.Float64frombits(iu | 0x3fe0000000000000) // normalize u/2
			iu = (0x0010000000000000 - iu) >> 2
		}
		f = u - 1.0 // Sqrt(2)/2 < u < Sqrt(2)
	}
	hfsq := mul(mul(0.5, f), f)
	var s, R, z float64
	if iu == 0 { // |f| < 2**-20
		if f == 0 {
			if k == 0 {
				return 0
			}
			c += mul(float64(k), Ln2Lo)
			return mul(float64(k), Ln2Hi) + c
		}
		R = mul(hfsq, 1.0-mul(0.66666666666666666, f)) // avoid division
		if k == 0 {
			return f - R
		}
		return mul(float64(k), Ln2Hi) - ((R - (mul(float64(k), Ln2Lo) + c)) - f)
	}
	s = f / (2.0 + f)
	z = mul(s, s)
	R = mul(z, poly(z, Lp1, Lp2, Lp3, Lp4, Lp5, Lp6, Lp7))
	if k == 0 {
		return f - (hfsq - mul(s, hfsq+R))
	}
	return mul(float64(k), Ln2Hi) - ((hfsq - (mul(s, hfsq+R) + (mul(float64(k), Ln2Lo) + c))) - f)
}

// Tanh is the hyperbolic tangent (Go's math.tanh, from Cephes).
func Tanh(x float64) float64 {
	const MAXLOG = 8.8029691931113054295988e+01 // log(2**127)
	z := math.Abs(x)
	switch {
	case z > 0.5*MAXLOG:
		if x < 0 {
			return -1
		}
		return 1
	case z >= 0.625:
		s := Exp(2 * z)
		z = 1 - 2/(s+1)
		if x < 0 {
			z = -z
		}
	default:
		if x == 0 {
			return x
		}
		s := mul(x, x)
		// ((P0·s + P1)·s + P2) and (((s + Q0)·s + Q1)·s + Q2), as in Go.
		p := mul(mul(-9.64399179425052238628e-1, s)+-9.92877231001918586564e1, s) + -1.61468768441708447952e3
		q := mul(mul(s+1.12811678491632931402e2, s)+2.23548839060100448583e3, s) + 4.84406305325125486048e3
		z = x + mul(mul(x, s), p)/q
	}
	return z
}

// Coefficients of Erf (Go's math.erf).
const (
	erx  = 8.45062911510467529297e-01 // 0x3FEB0AC160000000
	efx  = 1.28379167095512586316e-01 // 0x3FC06EBA8214DB69
	efx8 = 1.02703333676410069053e+00 // 0x3FF06EBA8214DB69
	pp0  = 1.28379167095512558561e-01 // 0x3FC06EBA8214DB68
	pp1  = -3.25042107247001499370e-01
	pp2  = -2.84817495755985104766e-02
	pp3  = -5.77027029648944159157e-03
	pp4  = -2.37630166566501626084e-05
	qq1  = 3.97917223959155352819e-01
	qq2  = 6.50222499887672944485e-02
	qq3  = 5.08130628187576562776e-03
	qq4  = 1.32494738004321644526e-04
	qq5  = -3.96022827877536812320e-06
	pa0  = -2.36211856075265944077e-03
	pa1  = 4.14856118683748331666e-01
	pa2  = -3.72207876035701323847e-01
	pa3  = 3.18346619901161753674e-01
	pa4  = -1.10894694282396677476e-01
	pa5  = 3.54783043256182359371e-02
	pa6  = -2.16637559486879084300e-03
	qa1  = 1.06420880400844228286e-01
	qa2  = 5.40397917702171048937e-01
	qa3  = 7.18286544141962662868e-02
	qa4  = 1.26171219808761642112e-01
	qa5  = 1.36370839120290507362e-02
	qa6  = 1.19844998467991074170e-02
	ra0  = -9.86494403484714822705e-03
	ra1  = -6.93858572707181764372e-01
	ra2  = -1.05586262253232909814e+01
	ra3  = -6.23753324503260060396e+01
	ra4  = -1.62396669462573470355e+02
	ra5  = -1.84605092906711035994e+02
	ra6  = -8.12874355063065934246e+01
	ra7  = -9.81432934416914548592e+00
	sa1  = 1.96512716674392571292e+01
	sa2  = 1.37657754143519042600e+02
	sa3  = 4.34565877475229228821e+02
	sa4  = 6.45387271733267880336e+02
	sa5  = 4.29008140027567833386e+02
	sa6  = 1.08635005541779435134e+02
	sa7  = 6.57024977031928170135e+00
	sa8  = -6.04244152148580987438e-02
	rb0  = -9.86494292470009928597e-03
	rb1  = -7.99283237680523006574e-01
	rb2  = -1.77579549177547519889e+01
	rb3  = -1.60636384855821916062e+02
	rb4  = -6.37566443368389627722e+02
	rb5  = -1.02509513161107724954e+03
	rb6  = -4.83519191608651397019e+02
	sb1  = 3.03380607434824582924e+01
	sb2  = 3.25792512996573918826e+02
	sb3  = 1.53672958608443695994e+03
	sb4  = 3.19985821950859553908e+03
	sb5  = 2.55305040643316442583e+03
	sb6  = 4.74528541206955367215e+02
	sb7  = -2.24409524465858183362e+01
)

// Erf is the error function (Go's math.erf).
func Erf(x float64) float64 {
	const (
		VeryTiny = 2.848094538889218e-306 // 0x0080000000000000
		Small    = 1.0 / (1 << 28)        // 2**-28
	)
	switch {
	case math.IsNaN(x):
		return math.NaN()
	case math.IsInf(x, 1):
		return 1
	case math.IsInf(x, -1):
		return -1
	}
	sign := false
	if x < 0 {
		x = -x
		sign = true
	}
	if x < 0.84375 { // |x| < 0.84375
		var temp float64
		if x < Small { // |x| < 2**-28
			if x < VeryTiny {
				temp = 0.125 * (mul(8.0, x) + mul(efx8, x)) // avoid underflow
			} else {
				temp = x + mul(efx, x)
			}
		} else {
			z := mul(x, x)
			r := poly(z, pp0, pp1, pp2, pp3, pp4)
			s := poly(z, 1, qq1, qq2, qq3, qq4, qq5)
			y := r / s
			temp = x + mul(x, y)
		}
		if sign {
			return -temp
		}
		return temp
	}
	if x < 1.25 { // 0.84375 <= |x| < 1.25
		s := x - 1
		P := poly(s, pa0, pa1, pa2, pa3, pa4, pa5, pa6)
		Q := poly(s, 1, qa1, qa2, qa3, qa4, qa5, qa6)
		if sign {
			return -erx - P/Q
		}
		return erx + P/Q
	}
	if x >= 6 { // inf > |x| >= 6
		if sign {
			return -1
		}
		return 1
	}
	s := 1 / mul(x, x)
	var R, S float64
	if x < 1/0.35 { // |x| < 1 / 0.35  ~ 2.857143
		R = poly(s, ra0, ra1, ra2, ra3, ra4, ra5, ra6, ra7)
		S = poly(s, 1, sa1, sa2, sa3, sa4, sa5, sa6, sa7, sa8)
	} else { // |x| >= 1 / 0.35  ~ 2.857143
		R = poly(s, rb0, rb1, rb2, rb3, rb4, rb5, rb6)
		S = poly(s, 1, sb1, sb2, sb3, sb4, sb5, sb6, sb7)
	}
	z := math.Float64frombits(math.Float64bits(x) & 0xffffffff00000000) // pseudo-single (20-bit) precision x
	r := mul(Exp(-mul(z, z)-0.5625), Exp(mul(z-x, z+x)+R/S))
	if sign {
		return r/x - 1
	}
	return 1 - r/x
}

// PowInt is x^n for an integer n ≥ 0 (Go's math.Pow for an integral
// exponent: square-and-multiply on the mantissa, the exponent kept apart).
func PowInt(x float64, n int) float64 {
	if n < 0 {
		panic("pmath: PowInt with a negative exponent")
	}
	a1, ae := 1.0, 0
	x1, xe := math.Frexp(x)
	for i := n; i != 0; i >>= 1 {
		if xe < -1<<12 || 1<<12 < xe {
			// Catastrophic overflow; let Ldexp saturate.
			ae += xe
			break
		}
		if i&1 == 1 {
			a1 = mul(a1, x1)
			ae += xe
		}
		x1 = mul(x1, x1)
		xe <<= 1
		if x1 < .5 {
			x1 += x1
			xe--
		}
	}
	return math.Ldexp(a1, ae)
}
