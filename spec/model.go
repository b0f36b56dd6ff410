package spec

import (
	"fmt"
	"strings"
)

// This file holds the checked model: the output of Check, with every shape
// resolved. Everything after checking (the reference, lowering, emitting,
// `nngen check`) reads only these types, never the AST.

// DType is the element type of a generated package.
type DType int

const (
	Float32 DType = iota // default
	Float64
)

func (d DType) String() string {
	if d == Float64 {
		return "float64"
	}
	return "float32"
}

// Shape is the shape of one example's tensor, outermost dimension first:
// [D] for a vector, [C, L] for 1-D channels, [C, H, W] for 2-D channels.
// A scalar (a scalar-affine layernorm's gamma and beta) has an empty Shape.
type Shape []int

// Size is the number of elements (1 for a scalar).
func (s Shape) Size() int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

// String formats a shape the way the spec writes it: "784", "16x128", "1x8x8";
// a scalar is "scalar".
func (s Shape) String() string {
	if len(s) == 0 {
		return "scalar"
	}
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
	}
	return strings.Join(parts, "x")
}

// Equal reports whether two shapes are identical.
func (s Shape) Equal(t Shape) bool {
	if len(s) != len(t) {
		return false
	}
	for i := range s {
		if s[i] != t[i] {
			return false
		}
	}
	return true
}

// Kind is a layer's module.
type Kind int

const (
	Dense     Kind = iota // MM_{W,b}(z) = Wz + b (7.35)
	ReLU                  // max{z, 0} (7.20)
	Sigmoid               // 1/(1+exp(-z)) (7.24)
	Tanh                  // (7.25)
	GELU                  // z·Φ(z), exact erf form (7.27)
	LeakyReLU             // max{z, γz} (7.26)
	Softplus              // (1/β) log(1 + exp(βz)) (7.28)
	LayerNorm             // β + γ·(z − μ̂)/σ̂ (7.41)
	Conv1D                // (7.48)–(7.50)
	Conv2D                // (7.51)
	Flatten               // CxL or CxHxW → vector, channel-major
	Residual              // z + f(z) (7.38)
	MaxPool1D             // max over each window of a CxL input (pool.go)
	MaxPool2D             // max over each KxK window of a CxHxW input
	AvgPool1D             // mean over each window of a CxL input
	AvgPool2D             // mean over each KxK window of a CxHxW input
)

// KindNames are the spec keywords of each Kind, indexed by Kind.
var KindNames = [...]string{
	Dense: "dense", ReLU: "relu", Sigmoid: "sigmoid", Tanh: "tanh", GELU: "gelu",
	LeakyReLU: "leakyrelu", Softplus: "softplus", LayerNorm: "layernorm",
	Conv1D: "conv1d", Conv2D: "conv2d", Flatten: "flatten", Residual: "residual",
	MaxPool1D: "maxpool1d", MaxPool2D: "maxpool2d", AvgPool1D: "avgpool1d", AvgPool2D: "avgpool2d",
}

func (k Kind) String() string { return KindNames[k] }

// IsActivation reports whether k is an element-wise activation.
func (k Kind) IsActivation() bool {
	switch k {
	case ReLU, Sigmoid, Tanh, GELU, LeakyReLU, Softplus:
		return true
	}
	return false
}

// Affine is a layernorm's kind of affine transform.
type Affine int

const (
	AffineScalar Affine = iota // one γ and one β (7.41); the default
	AffineVector               // one γ, β per feature
)

// Padding of a convolution.
type Padding int

const (
	PadSame  Padding = iota // (K−1)/2 zeros each side; K odd; the default
	PadValid                // no padding
)

// LossKind is the training loss.
type LossKind int

const (
	MSE          LossKind = iota // ½‖h − y‖² (7.1)
	Logistic                     // −y log g(t) − (1−y) log(1−g(t)) (7.4)
	CrossEntropy                 // −log softmax(t)_y (7.6)
)

var lossNames = [...]string{MSE: "mse", Logistic: "logistic", CrossEntropy: "crossentropy"}

func (l LossKind) String() string { return lossNames[l] }

// Role says which parameter of its layer a Param is.
type Role int

const (
	RoleW Role = iota
	RoleB
	RoleGamma
	RoleBeta
)

var roleSuffix = [...]string{RoleW: "W", RoleB: "B", RoleGamma: "Gamma", RoleBeta: "Beta"}

// Suffix is the Go field-name suffix of the role: "W", "B", "Gamma", "Beta".
func (r Role) Suffix() string { return roleSuffix[r] }

// Param is one learnable tensor, shaped in PyTorch layout.
type Param struct {
	Name  string // Go field name in Params: "Dense1W", "EncB", "Layernorm2Gamma"
	Role  Role
	Shape Shape // dense W: [N, in]; conv1d W: [N, C, K]; conv2d W: [N, C, K, K]; b: [N]; scalar gamma: []
	Layer *Layer
}

// Layer is one checked layer: its options resolved to values and its shapes known.
type Layer struct {
	Kind Kind
	Pos  Pos    // position of the layer keyword in the spec
	ID   string // unique lower-case identifier: "dense1", "enc", "relu3", "residual1"
	// Prefix names the parameters: "Dense1", "Enc" (from name=enc), "Layernorm2".
	// Empty for layers without parameters.
	Prefix string
	In     Shape // shape of one example entering the layer
	Out    Shape // shape of one example leaving it

	Units  int     // dense N, conv N (output channels)
	Bias   bool    // dense, conv
	Kernel int     // conv and pooling K
	Stride int     // conv and pooling stride
	Pad    Padding // conv padding
	Alpha  float64 // leakyrelu gamma (slope for z < 0)
	Beta   float64 // softplus beta
	Affine Affine  // layernorm
	Eps    float64 // layernorm eps

	Body   []*Layer // residual: the layers of f
	Params []*Param // this layer's own parameters, weight before bias, gamma before beta
}

// PadAmount is the number of zeros a convolution adds on each side.
func (l *Layer) PadAmount() int {
	if l.Pad == PadSame {
		return (l.Kernel - 1) / 2
	}
	return 0
}

// Optimizer is SGD with optional momentum: v := μv + ∇J; θ := θ − αv.
type Optimizer struct {
	Kind        OptimizerKind
	LR          float64 // α
	Momentum    float64 // sgd: μ, in [0, 1)
	Nesterov    bool    // sgd: Nesterov momentum (needs μ > 0)
	WeightDecay float64 // L2 in the gradient (sgd, adam) or decoupled (adamw), ≥ 0
	Beta1       float64 // adam, adamw: decay of the first moment, in [0, 1)
	Beta2       float64 // adam, adamw: decay of the second moment, in [0, 1)
	Eps         float64 // adam, adamw: added to √v̂, > 0
}

// OptimizerKind is the update rule, with PyTorch's semantics.
type OptimizerKind int

const (
	SGD   OptimizerKind = iota // torch.optim.SGD
	Adam                       // torch.optim.Adam: weight decay as L2 in the gradient
	AdamW                      // torch.optim.AdamW: decoupled weight decay
)

var optimizerNames = [...]string{SGD: "sgd", Adam: "adam", AdamW: "adamw"}

func (k OptimizerKind) String() string { return optimizerNames[k] }

// State is the number of Params-shaped buffers the optimizer keeps per
// parameter: momentum v (sgd with μ > 0), or Adam's moments m and v.
func (o Optimizer) State() int {
	switch {
	case o.Kind != SGD:
		return 2
	case o.Momentum != 0:
		return 1
	}
	return 0
}

// Model is a checked spec.
type Model struct {
	Name      string // package name, from `model NAME`
	File      string // base name of the spec file, for comments: "mnist.nn"
	Input     Shape
	Output    Shape // shape of the last layer's output
	Batch     int
	DType     DType
	Layers    []*Layer // top level, in spec order; residual bodies nest
	Loss      LossKind
	LossPos   Pos // position of the `loss` statement, for comments and errors
	Optimizer Optimizer
	Params    []*Param // every parameter, in declaration order (the order of Params fields)
}

// Walk calls fn for every layer in spec order, descending into residual
// bodies after their Residual layer itself.
func (m *Model) Walk(fn func(*Layer)) { walk(m.Layers, fn) }

func walk(ls []*Layer, fn func(*Layer)) {
	for _, l := range ls {
		fn(l)
		walk(l.Body, fn)
	}
}
