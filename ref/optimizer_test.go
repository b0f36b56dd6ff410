package ref

import (
	"math"
	"testing"

	"github.com/nngen/nngen/spec"
)

// TestOptimizersMatchPyTorch steps one tensor θ = [1, −2, 0.5] with three
// fixed gradients and compares with torch.optim (1.13, float64), whose
// parameters after each step are below (printed by a short script: the
// optimizer constructed as in each case's comment, p.grad set, opt.step()).
func TestOptimizersMatchPyTorch(t *testing.T) {
	grads := [][]float64{{0.5, -1.0, 0.25}, {0.1, 0.2, -0.3}, {-0.7, 0.4, 0.9}}
	sgd := spec.Optimizer{Kind: spec.SGD, LR: 0.1}
	adam := spec.Optimizer{Kind: spec.Adam, LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
	with := func(o spec.Optimizer, f func(*spec.Optimizer)) spec.Optimizer { f(&o); return o }
	cases := []struct {
		name string
		opt  spec.Optimizer
		want [][]float64
	}{
		{"SGD(lr=0.1)", sgd, [][]float64{{0.95, -1.9, 0.475}, {0.94, -1.92, 0.505}, {1.01, -1.96, 0.415}}},
		{"SGD(lr=0.1, momentum=0.9)", with(sgd, func(o *spec.Optimizer) { o.Momentum = 0.9 }),
			[][]float64{{0.95, -1.9, 0.475}, {0.8949999999999999, -1.8299999999999998, 0.4825}, {0.9154999999999999, -1.807, 0.39925}}},
		{"SGD(lr=0.1, momentum=0.9, weight_decay=0.01, nesterov=True)", with(sgd, func(o *spec.Optimizer) { o.Momentum, o.WeightDecay, o.Nesterov = 0.9, 0.01, true }),
			[][]float64{{0.9031, -1.8062, 0.45155}, {0.84107411, -1.75814822, 0.487037055}, {0.926465558191, -1.771186716382, 0.3204564290955}}},
		{"SGD(lr=0.1, weight_decay=0.05)", with(sgd, func(o *spec.Optimizer) { o.WeightDecay = 0.05 }),
			[][]float64{{0.945, -1.89, 0.4725}, {0.930275, -1.90055, 0.5001375}, {0.995623625, -1.93104725, 0.4076368125}}},
		{"Adam(lr=0.01)", adam,
			[][]float64{{0.9900000002, -1.9900000001, 0.49000000039999997}, {0.9819695906384652, -1.9848897393990494, 0.4914294476547747}, {0.9834822634869161, -1.9835473434208155, 0.48600810927204713}}},
		{"Adam(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)", with(adam, func(o *spec.Optimizer) { o.Beta1, o.Beta2, o.Eps, o.WeightDecay = 0.8, 0.99, 1e-6, 0.1 }),
			[][]float64{{0.9900000166666388, -1.9900000083333265, 0.49000003333322223}, {0.981543827430887, -1.9837053359439494, 0.490221077461753}, {0.9820207744177211, -1.9803902206254318, 0.4837440159315528}}},
		{"AdamW(lr=0.01)", with(adam, func(o *spec.Optimizer) { o.Kind, o.WeightDecay = spec.AdamW, 0.01 }),
			[][]float64{{0.9899000002, -1.9898000001, 0.4899500004}, {0.9817706006384452, -1.9844907593990395, 0.4913304526547347}, {0.9831850964268323, -1.9829499143448657, 0.4858599812267416}}},
		{"AdamW(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)", with(adam, func(o *spec.Optimizer) {
			o.Kind, o.Beta1, o.Beta2, o.Eps, o.WeightDecay = spec.AdamW, 0.8, 0.99, 1e-6, 0.1
		}),
			[][]float64{{0.98900001999996, -1.98800000999999, 0.48950003999984}, {0.980288941458055, -1.9813787564367442, 0.4910215272027716}, {0.9817636995815812, -1.9788771430986867, 0.48462043581372927}}},
	}
	for _, c := range cases {
		p := &spec.Param{Shape: spec.Shape{3}}
		n := New(&spec.Model{Params: []*spec.Param{p}, Optimizer: c.opt})
		copy(n.Params[0], []float64{1, -2, 0.5})
		for s, g := range grads {
			n.Update([][]float64{g})
			for j, w := range c.want[s] {
				if got := n.Params[0][j]; math.Abs(got-w) > 1e-14*math.Max(1, math.Abs(w)) {
					t.Errorf("%s step %d: θ[%d] = %.17g, PyTorch %.17g", c.name, s+1, j, got, w)
				}
			}
		}
	}
}
