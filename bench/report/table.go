package report

// Peers are the implementations in column order; "torch" is the faster
// of torch-eager and torch-script per row, the one the summary quotes.
var Peers = []string{"nngen", "nngen-t2", "nngen-purego", "ref", "handwritten", "torch-eager", "torch-script"}

// PeerTitles head the columns.
var PeerTitles = map[string]string{
	"nngen":        "nngen",
	"nngen-t2":     "nngen 2 threads",
	"nngen-purego": "nngen purego",
	"ref":          "ref (gonum)",
	"handwritten":  "hand-written Go",
	"torch-eager":  "PyTorch eager",
	"torch-script": "PyTorch TorchScript",
	"torch":        "PyTorch (best)",
}

// Row is one network and operation.
type Row struct {
	Net     *Network
	Op      string
	FLOPs   int64              // per call
	Compute float64            // compute floor, ns: FLOPs ÷ peak
	Weights float64            // forward1 only: ns to read all weights from L2
	Res     map[string]*Result // by implementation, "torch" included
}

// Floor is the larger of the two floors.
func (r *Row) Floor() float64 { return max(r.Compute, r.Weights) }

// Rows lists every network × operation.
func (run *Run) Rows() []*Row {
	var rows []*Row
	for _, n := range run.Networks {
		for _, op := range Ops {
			rows = append(rows, run.row(n, op))
		}
	}
	return rows
}

func (run *Run) row(n *Network, op string) *Row {
	r := &Row{Net: n, Op: op, FLOPs: flopsPerCall(n, op), Res: map[string]*Result{}}
	if p := run.Machine.PeakGFLOPS; p > 0 {
		r.Compute = float64(r.FLOPs) / p // GFLOP/s = FLOP/ns
	}
	if bw := run.Machine.L2ReadGBs; op == "forward1" && bw > 0 {
		r.Weights = float64(n.Model.ParamBytes()) / bw // GB/s = B/ns
	}
	for impl, d := range n.Docs {
		for i := range d.Results {
			if d.Results[i].Op == op {
				r.Res[impl] = &d.Results[i]
			}
		}
	}
	if best := fastest(r.Res["torch-eager"], r.Res["torch-script"]); best != nil {
		r.Res["torch"] = best
	}
	return r
}

// flopsPerCall follows spec/cost.go: forward per example, times the batch
// for ForwardBatch; forward and backward per example times the batch for
// Step (the SGD update itself is not counted).
func flopsPerCall(n *Network, op string) int64 {
	b := int64(n.Model.Batch)
	switch op {
	case "forward1":
		return n.Cost.Forward
	case "forwardbatch":
		return n.Cost.Forward * b
	}
	return (n.Cost.Forward + n.Cost.Backward) * b
}

func fastest(a, b *Result) *Result {
	switch {
	case a == nil:
		return b
	case b == nil || a.Median <= b.Median:
		return a
	}
	return b
}

// Speedup is peer time ÷ nngen time: above 1, nngen is faster. 0 if
// either is missing.
func (r *Row) Speedup(peer string) float64 {
	g, p := r.Res["nngen"], r.Res[peer]
	if g == nil || p == nil || g.Median == 0 {
		return 0
	}
	return p.Median / g.Median
}

// Scaling is nngen's one-thread time ÷ its two-thread time (SetThreads(2)
// on two cores): 2 is perfect. 0 if either is missing, and for Forward
// (batch 1), which runs on one goroutine whatever SetThreads says: its
// two-thread time only tells which core the goroutine ran on (0.68–1.05×
// of one thread's on a 2-core Zen 5).
func (r *Row) Scaling() float64 {
	one, two := r.Res["nngen"], r.Res["nngen-t2"]
	if one == nil || two == nil || two.Median == 0 || r.Op == "forward1" {
		return 0
	}
	return one.Median / two.Median
}

// GFLOPS is the rate of impl on this row.
func (r *Row) GFLOPS(impl string) float64 {
	if x := r.Res[impl]; x != nil && x.Median > 0 {
		return float64(r.FLOPs) / x.Median
	}
	return 0
}

// ToFloor is nngen's time ÷ the floor: how far from the machine's limit.
func (r *Row) ToFloor() float64 {
	if g := r.Res["nngen"]; g != nil && r.Floor() > 0 {
		return g.Median / r.Floor()
	}
	return 0
}

// TorchWinner says which PyTorch mode the "best" column took.
func (r *Row) TorchWinner() string {
	best := r.Res["torch"]
	switch {
	case best == nil:
		return ""
	case best == r.Res["torch-script"]:
		return "TorchScript"
	}
	return "eager"
}
