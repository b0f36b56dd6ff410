package ir

import "github.com/nngen/nngen/spec"

// BufKind says where a buffer lives in the generated package.
type BufKind int

const (
	Work  BufKind = iota // a field of the unexported workspace
	Input                // the batch input: the caller's, read in place where it starts on a cache line, else copied into the workspace (gen: forwardWork.input)
	Param                // a field of Params
	Grad                 // the same field of Model.Grad
)

// Buffer is a flat array of Size elements of the model's dtype.
type Buffer struct {
	Name  string // workspace field name, or the Params field name
	Kind  BufKind
	Size  int
	Param *spec.Param // Param and Grad buffers
}

// View is the window of a buffer an op reads or writes: Len elements from
// Off, shifted by b·Len when PerExample (the op runs inside a batch loop).
type View struct {
	Buf        *Buffer
	Off, Len   int
	PerExample bool
}

// OpKind is what an op computes; Reads and Writes hold its operands in the
// order given here.
type OpKind int

const (
	OpMatmul    OpKind = iota // W0 = op(R0)·op(R1) (+ W0 when Accumulate)
	OpZero                    // W0 = 0
	OpCopy                    // W0 = R0
	OpAdd                     // W0 = R0 + R1 (residual forward, 7.38)
	OpAddTo                   // W0 += R0 (residual backward)
	OpBias                    // W0[r][c][i] += R0[c], Dims = [rows, chans, inner] (7.35)
	OpBiasGrad                // W0[c] = Σ_r,i R0[r][c][i], Dims as OpBias (7.66)
	OpAct                     // W0 = σ(R0) (7.20, 7.24–7.28)
	OpActGrad                 // W0 = σ'(R0) ⊙ R2, R1 = σ(R0) (7.69)
	OpIm2col                  // W0 = columns [C·K(·K)][Lout] of the example R0, geometry from Layer
	OpCol2im                  // W0 = scatter-add of the columns R0 into one example (zeroed first)
	OpLayerNorm               // W0 = R2 + R1·x̂, W1 = x̂, W2 = σ̂ per row; Dims = [rows, F] (7.41)
	OpLNGrad                  // W0 = ∂z (may be nil), W1 = ∂γ, W2 = ∂β; R0 = ∂out, R1 = x̂, R2 = σ̂, R3 = γ
	OpLoss                    // W0 = J, the batch mean of the loss of R0 against the targets (7.2); cross-entropy (else nil): W1 = 1/(B·Σ e^(R0 − max R0)) per example, W2 = e^(R0 − max R0)
	OpLossGrad                // W0 = ∂J/∂R0 (7.70, 7.71); cross-entropy: R0 nil, W0 holds OpLoss's W2, scaled by R1 = its W1
	OpBiasRelu                // W0 = max(R0 + R1, 0), R1 the bias laid out as OpBias's; Fuse makes R0 the view W0 (fuse.go)
	OpPool                    // W0 = the maximum or mean of each window of R0, geometry from Pool (pool.go)
	OpPoolGrad                // W0 = ∂z (zeroed first) from R0 = ∂out; R1 = z for max pooling, else nil
	OpPad                     // W0 = the example R0 padded for a direct convolution (Conv.Direct, Window)
	numOpKinds
)

var opNames = [...]string{
	OpMatmul: "matmul", OpZero: "zero", OpCopy: "copy", OpAdd: "add", OpAddTo: "addto",
	OpBias: "bias", OpBiasGrad: "biasgrad", OpAct: "act", OpActGrad: "actgrad",
	OpIm2col: "im2col", OpCol2im: "col2im", OpLayerNorm: "layernorm", OpLNGrad: "lngrad",
	OpLoss: "loss", OpLossGrad: "lossgrad", OpBiasRelu: "biasrelu",
	OpPool: "pool", OpPoolGrad: "poolgrad", OpPad: "pad",
}

func (k OpKind) String() string { return opNames[k] }

// Op is one step of a schedule. Its payload fields say everything the back
// end needs to print it; Layer is kept only to name the op's source.
type Op struct {
	Kind   OpKind
	Writes []View
	Reads  []View
	Matmul Matmul     // OpMatmul
	Act    Activation // OpAct, OpActGrad, OpBiasRelu (relu)
	Conv   *Conv      // OpIm2col, OpCol2im, OpPad
	// Borders: OpPad writes the borders too (PadStep.Border), for another
	// op writes its buffer as well (sharedPads).
	Borders bool
	Pool    *Pool         // OpPool, OpPoolGrad
	Eps     float64       // OpLayerNorm: σ̂ = sqrt(var + Eps)
	Loss    spec.LossKind // OpLoss, OpLossGrad
	Layer   *spec.Layer   // the layer it belongs to (nil for the loss), for names and positions
	Dims    []int         // OpBias, OpBiasGrad, OpBiasRelu, OpLayerNorm, OpLNGrad
}

// Activation is an elementwise nonlinearity with its parameters.
type Activation struct {
	Kind  spec.Kind // ReLU, Sigmoid, Tanh, GELU, LeakyReLU or Softplus
	Gamma float64   // leakyrelu: the slope below 0
	Beta  float64   // softplus: (1/β) log(1 + e^βz)
}

// Conv is a convolution's geometry for im2col and col2im: C input
// channels, kernel K (K×K in 2-D), stride, zero padding on each side, and
// the spatial sizes of one channel in and out ([L] or [H, W]).
type Conv struct {
	C, K, Stride, Pad int
	In, Out           []int
	// Room is the elements a 2-D direct convolution's padded example may
	// take (its layout is rounded up only within it); 0: Rows()·Cols(), the
	// im2col columns it is written into. A transposed convolution's is the
	// columns of the convolution it transposes (Transposed).
	Room int
}

// Rows and Cols are the im2col matrix's shape: C·K(·K) by Lout(·Wout).
func (c *Conv) Rows() int {
	r := c.C
	for range c.In {
		r *= c.K
	}
	return r
}

// Direct reports whether the convolution runs as a windowed product on
// the padded example (Matmul.Window, OpPad) instead of through im2col:
// stride 1, and in 2-D a K×K kernel with pad=same (the output as wide as
// the input), where every tap's row of the im2col matrix is a shifted run
// of the padded example. That example, Padded() elements, is 1/K (1-D) or
// about 1/K (2-D) of the im2col matrix and is written with a few long
// copies instead of one per kernel offset and output row; it also stays
// in L1 across the product where the matrix did not (40 KB for R5's second
// layer). On the EPYC of the speed reports, interleaved with the im2col
// version, the direct forward product alone made R5's ForwardBatch 1.48×
// faster on the AVX-512 path.
// Strided convolutions keep im2col: their taps are not shifts of one run.
func (c *Conv) Direct() bool {
	switch {
	case c.Stride != 1:
		return false
	case len(c.In) == 1:
		return true
	}
	return 2*c.Pad == c.K-1 && c.Padded() <= c.Rows()*c.Cols()
}

// shift is a 2-D direct convolution's copy of a channel: the padded rows
// and p elements before and after them, rounded up by spec.PadLayout.
// Tap (kh, kw) reads copy kw from kw·(shift+1) + kh·W on (Window.Offset),
// so in a channel that starts on a 64-byte line (chanBlock) every tap
// whose kh·W is a multiple of 16 elements does too, float32 or float64:
// in R4 (W = 8) six of the nine window loads of its weight gradient's
// k step (against eighteen FMAs), where the unrounded 82-element copies
// left two of them on a line.
func (c *Conv) shift() int { s, _ := c.layout(); return s }

// chanBlock is a 2-D direct convolution's padded channel: K copies of
// shift() elements, rounded up by spec.PadLayout.
func (c *Conv) chanBlock() int { _, b := c.layout(); return b }

func (c *Conv) layout() (copyLen, block int) {
	room := c.Room
	if room == 0 {
		room = c.Rows() * c.Cols()
	}
	return spec.PadLayout((c.In[0]+2*c.Pad)*c.In[1]+2*c.Pad, c.K, c.C, int64(room))
}

// Padded is the elements of the padded example: C·(L + 2p) in 1-D, C
// channels of chanBlock() elements in 2-D.
func (c *Conv) Padded() int {
	if len(c.In) == 1 {
		return c.C * (c.In[0] + 2*c.Pad)
	}
	return c.C * c.chanBlock()
}

// Transposed is the geometry of the convolution whose output is this
// one's input gradient, over n channels of the output gradient: stride 1,
// the same kernel mirrored, padding K−1−p.
func (c *Conv) Transposed(n int) *Conv {
	return &Conv{C: n, K: c.K, Stride: 1, Pad: c.K - 1 - c.Pad, In: c.Out, Out: c.In, Room: c.Rows() * c.Cols()}
}

// Window is how a direct convolution's product reads the padded example.
func (c *Conv) Window() Window {
	if len(c.In) == 1 {
		return Window{Taps: c.K, KW: c.K, LdB: c.In[0] + 2*c.Pad}
	}
	return Window{Taps: c.K * c.K, KW: c.K, Row: c.In[1], Shift: c.shift(), LdB: c.chanBlock()}
}

func (c *Conv) Cols() int {
	n := 1
	for _, d := range c.Out {
		n *= d
	}
	return n
}

// Block is a run of ops; when Batch > 0 they run once per example
// b = 0..Batch−1 and their PerExample views move with b.
type Block struct {
	Batch int
	Ops   []*Op
}

// Dir is the direction of a Func.
type Dir int

const (
	Forward  Dir = iota // batched forward
	Forward1            // one example
	Backward
	LossFwd
	LossBwd
)

var dirNames = [...]string{Forward: "forward", Forward1: "forward1", Backward: "backward",
	LossFwd: "loss", LossBwd: "loss backward"}

func (d Dir) String() string { return dirNames[d] }

// Func is one emitted function: one layer in one direction.
type Func struct {
	Name   string      // Go method name: "dense1Forward"
	Layer  *spec.Layer // nil for the loss
	Dir    Dir
	Doc    string // the equation it implements, for the doc comment
	Blocks []Block
	Fused  *spec.Layer // the relu fused into this layer's bias (fuse.go), or nil
	// FusedDoc: a backward function's Fused is an activation's gradient,
	// computed in place inside its batch loop; this is its equation.
	FusedDoc string
}

// LayerOut ties a layer to the buffer holding its batch output.
type LayerOut struct {
	ID  string
	Buf *Buffer
	// Relu: Buf is the output of the relu fused into the layer (Fuse),
	// max(output, 0); the output itself is never written.
	Relu bool
}

// Program is a lowered model.
type Program struct {
	Model    *spec.Model
	Batch    int
	Input    *Buffer   // [Batch·InputSize]
	Output   *Buffer   // the last layer's output, [Batch·OutputSize]
	Loss     *Buffer   // [1]: J
	Work     []*Buffer // workspace buffers, in creation order
	Params   []*Buffer // in m.Params order
	Grads    []*Buffer // Grads[i] is the gradient of Params[i]
	Forward  []*Func   // batched forward, spec order
	Forward1 []*Func   // batch-1 forward
	LossFwd  *Func     // J from the output
	LossBwd  *Func     // ∂J/∂output
	Backward []*Func   // reverse sweep, parameter gradients interleaved
	Outputs  []LayerOut
	Dropped  []*Buffer // workspace buffers Fuse left unused, which spec.Model.Memory counts
	Units    *Units    // the first layer run by blocks of units (SplitUnits), or nil
	Plan     *Plan     // set by SelectKernels
}

// Funcs returns every function in emission order.
func (p *Program) Funcs() []*Func {
	var fs []*Func
	fs = append(fs, p.Forward...)
	fs = append(fs, p.Forward1...)
	if p.Training() {
		fs = append(fs, p.LossFwd, p.LossBwd)
	}
	return append(fs, p.Backward...)
}

// eachOp calls fn with every op of every pass.
func (p *Program) eachOp(fn func(*Op)) { eachOpIn(p.Funcs(), fn) }

// eachOpIn calls fn with every op of fs, in order.
func eachOpIn(fs []*Func, fn func(*Op)) {
	for _, f := range fs {
		for _, b := range f.Blocks {
			for _, op := range b.Ops {
				fn(op)
			}
		}
	}
}

// views are the views op writes, then those it reads.
func (op *Op) views() []View { return append(append([]View(nil), op.Writes...), op.Reads...) }

// Training reports whether p has its loss and backward pass (ForwardOnly
// removes them).
func (p *Program) Training() bool { return p.LossFwd != nil }

// ForwardOnly strips p to what an inference package needs: the batched and
// one-example forward passes and the buffers they touch.
func ForwardOnly(p *Program) {
	p.LossFwd, p.LossBwd, p.Backward, p.Grads, p.Loss = nil, nil, nil, nil, nil
	used := p.ForwardBuffers()
	var work []*Buffer
	for _, b := range p.Work {
		if used[b] {
			work = append(work, b)
		}
	}
	p.Work = work
}

// ForwardBuffers are the workspace buffers the forward passes touch: what a
// model needs to run inference, shared by nothing else at the same time.
func (p *Program) ForwardBuffers() map[*Buffer]bool {
	used := map[*Buffer]bool{p.Input: true}
	eachOpIn(append(append([]*Func(nil), p.Forward...), p.Forward1...), func(op *Op) {
		for _, v := range op.views() {
			if v.Buf != nil && (v.Buf.Kind == Work || v.Buf.Kind == Input) {
				used[v.Buf] = true
			}
		}
	})
	return used
}

// Kernels returns the distinct matrix products of p, sorted by name; a
// kernel is Batched if any of its products is.
func (p *Program) Kernels() []Matmul {
	seen := map[string]Matmul{}
	for _, f := range p.Funcs() {
		for _, b := range f.Blocks {
			for _, op := range b.Ops {
				if op.Kind == OpMatmul {
					// Name does not tell a batched product from an unbatched one of
					// the same shape: the kernel then takes a range, and the
					// unbatched calls pass the whole of it.
					k := op.Matmul
					k.Batched = k.Batched || seen[k.Key()].Batched
					seen[k.Key()] = k
				}
			}
		}
	}
	return byName(seen)
}

// GradFromOutput reports whether the derivative of activation k is
// computed from its output a = σ(z) (sigmoid: a(1 − a), tanh: 1 − a²,
// relu: 1 where a > 0, as where z > 0) rather than from its input z. A
// relu's z is then read by nothing after its forward pass, which lets Fuse
// write a dense or convolution layer's product straight into a.
func GradFromOutput(k spec.Kind) bool { return k == spec.Sigmoid || k == spec.Tanh || k == spec.ReLU }
