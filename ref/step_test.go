package ref

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestStep runs two Steps and checks them against v := μv + ∇J;
// θ := θ − αv, with the gradients taken from Backward on a twin Net.
func TestStep(t *testing.T) {
	for _, mu := range []float64{0, 0.9} {
		t.Run(fmt.Sprint("momentum=", mu), func(t *testing.T) {
			opt := fmt.Sprintf("optimizer sgd lr=0.1 momentum=%g", mu)
			m := parseNN(t, "3", "dense 2", "tanh", "dense 2", opt)
			r := rand.New(rand.NewPCG(8, 9))
			n, twin := New(m), New(m)
			n.Init(1)
			twin.Init(1)
			x, y := randomBatch(r, 4, 3), randomBatch(r, 4, 2)

			J0, g0 := twin.Backward(x, y)
			if got := n.Step(x, y); got != J0 {
				t.Errorf("first Step returned %v, want J before the update %v", got, J0)
			}
			v1 := update(twin.Params, nil, g0, 0.1, mu)
			assertSame(t, "θ after step 1", n.Params, twin.Params)
			if mu != 0 { // without momentum SGD keeps no velocity
				assertSame(t, "v after step 1", n.Velocity, v1)
			}
			assertSame(t, "Grad after step 1", n.Grad, g0)

			_, g1 := twin.Backward(x, y)
			n.Step(x, y)
			v2 := update(twin.Params, v1, g1, 0.1, mu)
			assertSame(t, "θ after step 2", n.Params, twin.Params)
			if mu != 0 {
				assertSame(t, "v after step 2", n.Velocity, v2)
			}
		})
	}
}

// update applies one step by hand to theta and returns the new velocity
// (v is nil before the first step).
func update(theta, v, g [][]float64, lr, mu float64) [][]float64 {
	next := make([][]float64, len(theta))
	for i := range theta {
		next[i] = make([]float64, len(theta[i]))
		for j := range theta[i] {
			next[i][j] = g[i][j]
			if v != nil {
				next[i][j] += mu * v[i][j]
			}
			theta[i][j] -= lr * next[i][j]
		}
	}
	return next
}

func assertSame(t *testing.T, what string, got, want [][]float64) {
	t.Helper()
	for i := range want {
		for j := range want[i] {
			if math.Abs(got[i][j]-want[i][j]) > 1e-15 {
				t.Fatalf("%s: [%d][%d] = %v, want %v", what, i, j, got[i][j], want[i][j])
			}
		}
	}
}

func TestBackwardLeavesVelocityAndParams(t *testing.T) {
	m := parseNN(t, "3", "dense 2", "optimizer sgd lr=0.1 momentum=0.9")
	n := New(m)
	n.Init(3)
	before := n.ParamOf("Dense1W")[0]
	n.Backward([][]float64{{1, 2, 3}}, [][]float64{{1, 1}})
	for _, v := range n.Velocity {
		for _, e := range v {
			if e != 0 {
				t.Fatal("Backward changed the velocity")
			}
		}
	}
	if n.ParamOf("Dense1W")[0] != before {
		t.Fatal("Backward changed the parameters")
	}
	if n.GradOf("Dense1B")[0] == 0 {
		t.Fatal("Backward left Grad zero")
	}
}
