package ir

import (
	"fmt"
	"strings"

	"github.com/nngen/nngen/spec"
)

// ElemOp is the operation of an elementwise kernel.
type ElemOp int

const (
	AddRow        ElemOp = iota // dst[i] += src[i]: bias, residual and col2im adds
	AddConst                    // v[i] += c: a convolution's bias (7.35)
	Relu                        // dst[i] = max(src[i], 0) (7.20)
	ReluGrad                    // dst[i] = grad[i] if z[i] > 0, else 0 (7.69)
	AddRowRelu                  // a[i] = max(z[i] + b[i], 0): a dense bias fused with relu, a = z in place (fuse.go)
	AddConstRelu                // a[i] = max(z[i] + c, 0): a conv bias fused with relu
	Add                         // dst[i] = x[i] + y[i]: a residual block's sum (7.38)
	LNForward                   // layer norms of rows, one per element of sigma: mean, σ̂, x̂ and β + γ·x̂ (layernorm.go)
	LNBackward                  // layer-norm gradients of rows, one per element of sigma: ∂γ, ∂β and ∂z
	LNParamGrad                 // ∂γ and ∂β only, where no gradient flows to the input
	Sigmoid                     // dst[i] = 1/(1 + e^−src[i]) (7.24), eˣ as in exp.go
	Tanh                        // dst[i] = 1 − 2/(e^(2·src[i]) + 1), tanh (7.25)
	SigmoidGrad                 // dst[i] = a[i]·(1 − a[i])·grad[i], a = σ(z) (7.69)
	TanhGrad                    // dst[i] = (1 − a[i]²)·grad[i], a = tanh(z)
	LeakyRelu                   // dst[i] = max(src[i], c·src[i]) (7.26), c = γ
	LeakyReluGrad               // dst[i] = grad[i] if z[i] > 0, else c·grad[i]
	AddChanRelu                 // a[c][i] = max(z[c][i] + b[c], 0): a conv bias fused with relu, every channel of an example in one call
	Pad                         // an example padded for a direct convolution, channel by channel (pad.go)
	AddRows                     // dst[i] += src[r·N+i] for every whole row r of src, in row order: a dense layer's bias gradient (7.66)
	Softmax                     // rows of N logits t: mx = max t, exps = e^(t − mx), sum = Σ exps, per row: cross-entropy's log-sum-exp (softmax.go)
)

// Elementwise is a row operation over N elements, the length compiled in
// as an Update's: a loop of whole vectors and a masked tail, no length
// argument to test. Each is one add per element, rounded as the Generic
// loop rounds it, or a select, so the results are bit-identical.
type Elementwise struct {
	Op    ElemOp
	DType spec.DType
	N     int
	Chans int   // AddChanRelu: channels of N elements each, a bias apiece; Pad: channels of N padded elements
	Pad   *Conv // Pad: the convolution whose padded example it writes
	// Borders: Pad writes the borders too (Op.Borders), a "b" in its key.
	Borders bool
	// Range: the kernel takes a run of whole rows of N, one call for a
	// ranged function's rows [lo, hi) (rangekernels.go): its row operands
	// are slices, AddRowRelu's b stays one row.
	Range bool
	Label string // the Go name SelectKernels gives it, as Matmul.Label: "dense1BackwardAddRow"
}

var elemNames = [...]string{AddRow: "addRow", AddConst: "addConst", Relu: "reluRow", ReluGrad: "reluGradRow",
	AddRowRelu: "addRowRelu", AddConstRelu: "addConstRelu",
	Add: "add", LNForward: "lnForward", LNBackward: "lnBackward", LNParamGrad: "lnParamGrad",
	Sigmoid: "sigmoidRow", Tanh: "tanhRow", SigmoidGrad: "sigmoidGradRow", TanhGrad: "tanhGradRow",
	LeakyRelu: "leakyReluRow", LeakyReluGrad: "leakyReluGradRow", AddChanRelu: "addChanRelu", Pad: "pad", AddRows: "addRows",
	Softmax: "softmaxRows"}

// Name is the kernel's Go name: its Label, or else its Key.
func (e Elementwise) Name() string {
	if e.Label != "" {
		return e.Label
	}
	return e.Key()
}

// Key is the kernel's identity: addRow784f32, addConst64f64.
func (e Elementwise) Key() string {
	suffix := "f32"
	if e.DType == spec.Float64 {
		suffix = "f64"
	}
	if e.Op == Pad {
		b := ""
		if e.Borders {
			b = "b"
		}
		return fmt.Sprintf("%s%dx%d%s%s%s", elemNames[e.Op], e.Chans, e.N, e.Pad.padKey(), b, suffix)
	}
	if e.Chans > 0 {
		return fmt.Sprintf("%s%dx%d%s", elemNames[e.Op], e.Chans, e.N, suffix)
	}
	if e.Range {
		return fmt.Sprintf("%sRange%d%s", elemNames[e.Op], e.N, suffix)
	}
	return fmt.Sprintf("%s%d%s", elemNames[e.Op], e.N, suffix)
}

// Signature is the kernel's Go signature, shared by Generic, the assembly
// variants and the dispatcher.
func (e Elementwise) Signature() string {
	if IsLN(e.Op) {
		return e.lnSignature()
	}
	t, n := e.DType.String(), e.N
	if e.Op == Softmax {
		return fmt.Sprintf("func(exps, t, mx, sum []%s)", t)
	}
	if e.Op == AddChanRelu {
		return fmt.Sprintf("func(z, a *[%d]%s, b *[%d]%s)", e.Chans*n, t, e.Chans, t)
	}
	if e.Op == Pad {
		return fmt.Sprintf("func(dst *[%d]%s, src *[%d]%s)", e.Chans*n, t, e.Chans*e.Pad.ImageSize(), t)
	}
	if e.Op == AddRows {
		return fmt.Sprintf("func(dst *[%d]%s, src []%s)", n, t, t)
	}
	ptrs := fmt.Sprintf("%s *[%d]%s", strings.Join(e.PtrParams(), ", "), n, t)
	if e.Range {
		ptrs = e.rangeParams()
	}
	if e.HasConst() {
		return fmt.Sprintf("func(%s, c %s)", ptrs, t)
	}
	return fmt.Sprintf("func(%s)", ptrs)
}

// PtrParams are the kernel's array and slice parameters, in order.
func (e Elementwise) PtrParams() []string {
	if IsLN(e.Op) {
		return e.lnPtrs()
	}
	switch e.Op {
	case AddConst:
		return []string{"v"}
	case ReluGrad, LeakyReluGrad:
		return []string{"dst", "z", "grad"} // not g: Go assembly reserves it
	case SigmoidGrad, TanhGrad:
		return []string{"dst", "a", "grad"}
	case AddRowRelu:
		return []string{"z", "b", "a"}
	case AddConstRelu:
		return []string{"z", "a"}
	case AddChanRelu:
		return []string{"z", "a", "b"}
	case Add:
		return []string{"dst", "x", "y"}
	case Softmax:
		return []string{"exps", "t", "mx", "sum"}
	}
	return []string{"dst", "src"}
}

// hasConst reports whether the kernel takes a scalar c after its arrays.
func (e Elementwise) HasConst() bool {
	return e.Op == AddConst || e.Op == AddConstRelu || e.Op == LeakyRelu || e.Op == LeakyReluGrad
}

func (e Elementwise) Args() string {
	if IsLN(e.Op) {
		return e.lnArgs()
	}
	args := strings.Join(e.PtrParams(), ", ")
	if e.HasConst() {
		args += ", c"
	}
	return args
}

// UsesExp reports whether the kernel's loop calls ExpName(DType), whose Go
// (ExpSource) goes beside the Generic twins.
func (e Elementwise) UsesExp() bool { return e.Op == Sigmoid || e.Op == Tanh || e.Op == Softmax }

// ReferenceLoop is the kernel's loop, the body of Generic and the doc of
// its assembly variants (one tab of indentation).
func (e Elementwise) ReferenceLoop() []string {
	if IsLN(e.Op) {
		return e.lnLoop()
	}
	if e.Op == Pad {
		return e.padLoop()
	}
	if e.Op == Softmax {
		return e.softmaxLoop()
	}
	if e.Op == AddRows {
		return []string{fmt.Sprintf("\tfor ; len(src) >= %d; src = src[%d:] {", e.N, e.N), fmt.Sprintf("\t\tfor i := range %d {", e.N),
			"\t\t\tdst[i] += src[i]", "\t\t}", "\t}"}
	}
	if e.Range {
		return e.rangeLoop()
	}
	if e.Op == AddChanRelu {
		return []string{fmt.Sprintf("\tfor c := range %d {", e.Chans), fmt.Sprintf("\t\tfor i := c * %d; i < (c+1)*%d; i++ {", e.N, e.N),
			"\t\t\ta[i] = max(z[i]+b[c], 0)", "\t\t}", "\t}"}
	}
	return append(append([]string{fmt.Sprintf("\tfor i := range %d {", e.N)}, e.elemBody()...), "\t}")
}

// elemBody is the loop body of an element i of a row (two tabs in).
func (e Elementwise) elemBody() []string {
	return map[ElemOp][]string{
		AddRow:       {"\t\tdst[i] += src[i]"},
		AddConst:     {"\t\tv[i] += c"},
		Relu:         {"\t\tdst[i] = max(src[i], 0)"},
		ReluGrad:     {"\t\tg := grad[i] // dst may be grad: ir.Fuse runs the gradient in place", "\t\tif !(z[i] > 0) {", "\t\t\tg = 0", "\t\t}", "\t\tdst[i] = g"},
		AddRowRelu:   {"\t\ta[i] = max(z[i]+b[i], 0)"},
		AddConstRelu: {"\t\ta[i] = max(z[i]+c, 0)"},
		Add:          {"\t\tdst[i] = x[i] + y[i]"},
		Sigmoid:      {fmt.Sprintf("\t\tdst[i] = 1 / (1 + %s(-src[i]))", ExpName(e.DType))},
		Tanh:         {fmt.Sprintf("\t\tdst[i] = %s(src[i])", TanhName(e.DType))},
		SigmoidGrad:  {"\t\tdst[i] = a[i] * (1 - a[i]) * grad[i]"},
		TanhGrad:     {fmt.Sprintf("\t\tdst[i] = (1 - %s(a[i]*a[i])) * grad[i]", e.DType)},
		LeakyRelu:    {fmt.Sprintf("\t\tdst[i] = max(src[i], %s(c*src[i]))", e.DType)},
		LeakyReluGrad: {"\t\tf := c", "\t\tif z[i] > 0 {", "\t\t\tf = 1", "\t\t}",
			fmt.Sprintf("\t\tdst[i] = %s(f * grad[i])", e.DType)},
	}[e.Op]
}

// Layer normalisation of one row of F features (7.41), per-feature γ and β,
// F a multiple of 16 so that no vector is partial. Its sums run in 16
// interleaved partial sums — element i into sum i mod 16 — reduced by
// halving (sum j += sum j+w for w = 8, 4, 2, 1): one ZMM or two YMM of
// float32, two ZMM or four YMM of float64, and the same order on every path,
// so assembly and Generic agree bit for bit (a NaN's payload aside: which
// of two NaNs an add keeps follows its operands' order, in Generic the Go
// compiler's). A float32 row's variance runs in float64: squares of
// differences past 1.8e19 would overflow float32.

// LNChunk is the elements one loop iteration covers: the 16 partial sums.
const LNChunk = 16

// LNRowFits reports whether rows of F features can run the layer-norm
// kernels: F a positive multiple of 16.
func LNRowFits(F int) bool { return F > 0 && F%LNChunk == 0 }

// IsLN reports whether op is one of the layer-norm row kernels.
func IsLN(op ElemOp) bool { return op == LNForward || op == LNBackward || op == LNParamGrad }

// lnSignature is the Go signature of a layer-norm row kernel.
func (e Elementwise) lnSignature() string {
	t, n := e.DType.String(), e.N
	switch e.Op {
	case LNForward: // one row per element of sigma, N elements apart in z, xhat and out
		return fmt.Sprintf("func(z, xhat, out []%s, gamma, beta *[%d]%s, sigma []%s, eps float64)", t, n, t, t)
	case LNBackward: // one row per element of sigma, N elements apart in dz, dy and xhat
		return fmt.Sprintf("func(dz []%s, dgamma, dbeta *[%d]%s, dy, xhat []%s, gamma *[%d]%s, sigma []%s)", t, n, t, t, n, t, t)
	}
	return fmt.Sprintf("func(dgamma, dbeta, dy, xhat *[%d]%s)", n, t)
}

// lnPtrs are the kernel's array parameters, and the forward and backward
// kernels' slices (a run of rows: z, xhat, out and sigma; dz, dy, xhat and
// sigma).
func (e Elementwise) lnPtrs() []string {
	switch e.Op {
	case LNForward:
		return []string{"z", "xhat", "out", "gamma", "beta", "sigma"}
	case LNBackward:
		return []string{"dz", "dgamma", "dbeta", "dy", "xhat", "gamma"}
	}
	return []string{"dgamma", "dbeta", "dy", "xhat"}
}

// lnArgs is the dispatcher's argument list.
func (e Elementwise) lnArgs() string {
	switch e.Op {
	case LNForward:
		return "z, xhat, out, gamma, beta, sigma, eps"
	case LNBackward:
		return "dz, dgamma, dbeta, dy, xhat, gamma, sigma"
	}
	return "dgamma, dbeta, dy, xhat"
}

// lnRows runs a kernel's row body over the rows of sigma: the forward and
// backward kernels take a run of rows, so that one call (one pass through
// the dispatcher and the assembly's VZEROUPPER) serves a batch. Each row
// is still a chain of dependent steps (sums, then a square root or the
// means, a divide), which the core overlaps little from one row to the
// next. rows are the slices that hold a row per element of sigma; sigma is
// the row's element (&sigma[r] where the body writes it).
func lnRows(body []string, t string, n int, rows []string, sigma string) []string {
	var views []string
	for _, v := range rows {
		views = append(views, fmt.Sprintf("(*[%d]%s)(%s[r*%d:])", n, t, v, n))
	}
	out := []string{
		"	for r := range sigma {",
		fmt.Sprintf("		%s := %s", strings.Join(rows, ", "), strings.Join(views, ", ")),
		"		sigma := " + sigma,
	}
	for _, s := range body {
		out = append(out, "	"+s)
	}
	return append(out, "	}")
}

// lnLoop is the Go of a layer-norm row kernel: Generic's body and the
// assembly's doc. Products are converted to T so that no compiler fuses them
// into FMAs; sqrt64 is math.Sqrt, defined beside the Generic twins.
func (e Elementwise) lnLoop() []string {
	t, n := e.DType.String(), e.N
	tree := func(p string) []string {
		return halving(p, func(a, b string) []string { return []string{a + " += " + b} })
	}
	var l []string
	add := func(s ...string) { l = append(l, s...) }
	switch e.Op {
	case LNForward:
		add(fmt.Sprintf("\tvar p [16]%s", t),
			fmt.Sprintf("\tfor i := range %d {", n),
			"\t\tp[i%16] += z[i]",
			"\t}")
		add(tree("p")...)
		add(fmt.Sprintf("\tmean := p[0] / %d", n),
			"\tvar q [16]float64",
			fmt.Sprintf("\tfor i := range %d {", n),
			"\t\td := float64(z[i] - mean)",
			"\t\tq[i%16] += float64(d * d)",
			"\t}")
		add(tree("q")...)
		s := fmt.Sprintf("%s(sqrt64(q[0]/%d + eps))", t, n)
		if t == "float64" {
			s = fmt.Sprintf("sqrt64(q[0]/%d + eps)", n)
		}
		add("\ts := "+s,
			"\t*sigma = s",
			"\tinv := 1 / s",
			fmt.Sprintf("\tfor i := range %d {", n),
			"\t\txhat[i] = (z[i] - mean) * inv",
			fmt.Sprintf("\t\tout[i] = beta[i] + %s(gamma[i]*xhat[i])", t),
			"\t}")
	case LNParamGrad:
		add(fmt.Sprintf("\tfor i := range %d {", n),
			fmt.Sprintf("\t\tdgamma[i] += %s(dy[i] * xhat[i])", t),
			"\t\tdbeta[i] += dy[i]",
			"\t}")
	case LNBackward:
		add(fmt.Sprintf("\tvar p, q [16]%s", t),
			fmt.Sprintf("\tfor i := range %d {", n),
			fmt.Sprintf("\t\tu := %s(gamma[i] * dy[i])", t),
			fmt.Sprintf("\t\tdgamma[i] += %s(dy[i] * xhat[i])", t),
			"\t\tdbeta[i] += dy[i]",
			"\t\tp[i%16] += u",
			fmt.Sprintf("\t\tq[i%%16] += %s(u * xhat[i])", t),
			"\t}")
		add(tree("p")...)
		add(tree("q")...)
		add(fmt.Sprintf("\tmu, mux, inv := p[0]/%d, q[0]/%d, 1/sigma", n, n),
			fmt.Sprintf("\tfor i := range %d {", n),
			fmt.Sprintf("\t\tdz[i] = (%s(gamma[i]*dy[i]) - mu - %s(xhat[i]*mux)) * inv", t, t),
			"\t}")
	}
	switch e.Op {
	case LNForward:
		l = lnRows(l, t, n, []string{"z", "xhat", "out"}, "&sigma[r]")
	case LNBackward:
		l = lnRows(l, t, n, []string{"dz", "dy", "xhat"}, "sigma[r]")
	}
	return l
}
