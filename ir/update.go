package ir

import (
	"fmt"
	"strings"

	"github.com/nngen/nngen/spec"
)

// UpdateChunk is the length of the optimizer's assembly update kernel. The
// optimizer step runs over the parameters as one flat array (every
// optimizer here is elementwise, with the same constants for every
// parameter): whole chunks through the kernel, the rest through the same
// loop in Go. With SetThreads each thread steps its own range of chunks,
// right after reducing the gradients of that range, so no cache line of
// the parameters or of the gradient moves between cores for the update.
const UpdateChunk = 1024

// Update is an optimizer's update over N elements, the length compiled in
// like a product's shape, with PyTorch's semantics (torch.optim,
// spec.Optimizer): SGD θ := θ − α∇J (7.10), with momentum v := μv + d;
// θ := θ − αv, Nesterov, weight decay d := ∇J + λθ; Adam and AdamW with
// bias-corrected moments. The kernels multiply and then add or subtract in
// separate instructions (no FMA), so that they round exactly as the Go
// loop, whose products are converted to T to keep the Go compiler from
// fusing them either; division and square root are correctly rounded on
// both sides.
type Update struct {
	DType    spec.DType
	N        int
	Kind     spec.OptimizerKind
	Momentum bool // sgd with μ ≠ 0
	Nesterov bool // sgd
	Decay    bool // weight_decay ≠ 0: L2 in the gradient (sgd, adam) or decoupled (adamw)
}

// UpdateOf is optimizer o's update over n elements of dtype t.
func UpdateOf(o spec.Optimizer, t spec.DType, n int) Update {
	u := Update{DType: t, N: n, Kind: o.Kind, Momentum: o.Kind == spec.SGD && o.Momentum != 0,
		Nesterov: o.Nesterov, Decay: o.WeightDecay != 0}
	if u.Kind == spec.AdamW && !u.Decay {
		u.Kind = spec.Adam // AdamW without decay is Adam
	}
	return u
}

// kind is the name of u's variant: sgd, sgdMomentumDecay, adamW….
func (u Update) kind() string {
	kind := u.Kind.String()
	switch {
	case u.Kind == spec.AdamW:
		kind = "adamW" // adamw without decay is adam: named so by UpdateOf
	case u.Nesterov:
		kind = "sgdNesterov"
	case u.Momentum:
		kind = "sgdMomentum"
	}
	if u.Decay {
		kind += "Decay"
	}
	return kind
}

func (u Update) suffix() string {
	if u.DType == spec.Float64 {
		return "f64"
	}
	return "f32"
}

// Name is the kernel's function name: sgd1024f32, sgdMomentum1024f64,
// adamDecay128f32.
func (u Update) Name() string { return fmt.Sprintf("%s%d%s", u.kind(), u.N, u.suffix()) }

// LoopName is the Go loop's name, the same update over slices of any
// length: sgdLoopf32.
func (u Update) LoopName() string { return u.kind() + "Loop" + u.suffix() }

// Adam reports whether u keeps Adam's moments.
func (u Update) Adam() bool { return u.Kind != spec.SGD }

// Params are the update's arguments: the tensors, then the scalars. (The
// gradient is not "g": Go assembly reserves that name for the goroutine
// register.)
func (u Update) Params() (tensors, scalars []string) {
	switch {
	case u.Adam():
		tensors = []string{"p", "m", "v", "grad"}
		scalars = []string{"b1", "omb1", "b2", "omb2", "eps", "step", "bc2"}
	case u.Momentum:
		tensors, scalars = []string{"p", "v", "grad"}, []string{"lr", "mu"}
	default:
		tensors, scalars = []string{"p", "grad"}, []string{"lr"}
	}
	if u.Decay && u.Kind == spec.AdamW {
		scalars = append(scalars, "decay")
	} else if u.Decay {
		scalars = append(scalars, "wd")
	}
	return tensors, scalars
}

// Signature is the kernel's Go signature, shared by Generic, the assembly
// variants and the dispatcher.
func (u Update) Signature() string {
	t, s := u.Params()
	return fmt.Sprintf("func(%s *[%d]%s, %s %s)", strings.Join(t, ", "), u.N, u.DType, strings.Join(s, ", "), u.DType)
}

// LoopSignature is the Go loop's signature: the tensors as slices.
func (u Update) LoopSignature() string {
	t, s := u.Params()
	return fmt.Sprintf("func(%s []%s, %s %s)", strings.Join(t, ", "), u.DType, strings.Join(s, ", "), u.DType)
}

// Args is the dispatcher's argument list.
func (u Update) Args() string {
	t, s := u.Params()
	return strings.Join(append(t, s...), ", ")
}

// ReferenceLoop is the update's loop over the elements of p, the body of
// the Go loop (LoopName, over slices as long as p) and the doc of the
// assembly kernels (one tab of indentation). Adam's scalars are computed
// once per Step by the caller: omb1 = 1 − β₁, omb2 = 1 − β₂,
// step = α/(1 − β₁ᵗ), bc2 = √(1 − β₂ᵗ), decay = 1 − αλ; sqrt is √x in T,
// correctly rounded (math.Sqrt; for float32 through float64, which rounds
// as VSQRTPS does), defined beside the loops.
func (u Update) ReferenceLoop() []string {
	t := u.DType.String()
	line := func(format string, args ...any) string { return "\t\t" + fmt.Sprintf(format, args...) }
	loop := []string{"\tfor i := range p {"}
	d := "grad[i]"
	if u.Decay && u.Kind != spec.AdamW {
		loop = append(loop, line("d := grad[i] + %s(wd*p[i])", t))
		d = "d"
	}
	switch {
	case u.Adam():
		if u.Decay && u.Kind == spec.AdamW {
			loop = append(loop, line("p[i] = %s(decay * p[i])", t))
		}
		loop = append(loop,
			line("m[i] = %s(b1*m[i]) + %s(omb1*%s)", t, t, d),
			line("v[i] = %s(b2*v[i]) + %s(%s(omb2*%s)*%s)", t, t, t, d, d),
			line("p[i] -= %s(step*m[i]) / (sqrt(v[i])/bc2 + eps)", t))
	case u.Nesterov:
		loop = append(loop, line("v[i] = %s(mu*v[i]) + %s", t, d),
			line("p[i] -= %s(lr * (%s + %s(mu*v[i])))", t, d, t))
	case u.Momentum:
		loop = append(loop, line("v[i] = %s(mu*v[i]) + %s", t, d),
			line("p[i] -= %s(lr * v[i])", t))
	default:
		loop = append(loop, line("p[i] -= %s(lr * %s)", t, d))
	}
	return append(loop, "\t}")
}
