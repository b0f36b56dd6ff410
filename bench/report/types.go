package report

// Doc is one implementation measured on one network by one process; the
// JSON that nnbench and torch_bench.py write.
type Doc struct {
	Impl     string   `json:"impl"`    // nngen, nngen-purego, ref, handwritten, torch-eager, torch-script
	Network  string   `json:"network"` // spec file base name: r2_mnist
	Model    string   `json:"model"`   // model name: mnist
	Batch    int      `json:"batch"`
	Params   int64    `json:"params"` // parameter count the implementation holds
	Results  []Result `json:"results"`
	MaxRSSKB int64    `json:"maxrss_kb"`       // peak resident set of the process (getrusage)
	Info     string   `json:"info,omitempty"`  // versions, BLAS library
	Check    string   `json:"check,omitempty"` // agreement with the reference before timing
	Skipped  string   `json:"skipped,omitempty"`
}

// Result is one timed operation, times in nanoseconds per call.
type Result struct {
	Op      string    `json:"op"` // forward1, forwardbatch, step
	Median  float64   `json:"median"`
	Q1      float64   `json:"q1"`
	Q3      float64   `json:"q3"`
	Min     float64   `json:"min"`
	Max     float64   `json:"max"`
	Reps    int       `json:"reps"`
	Calls   int       `json:"calls"` // calls per repetition
	Samples []float64 `json:"samples"`
}

// Ops are the timed operations, in report order.
var Ops = []string{"forward1", "forwardbatch", "step"}

// OpTitles name them in the tables.
var OpTitles = map[string]string{
	"forward1":     "Forward (batch 1)",
	"forwardbatch": "ForwardBatch",
	"step":         "Step",
}

// Machine is what nnbench -machine measures.
type Machine struct {
	CPU          string   `json:"cpu"`
	Flags        []string `json:"flags"`
	GoVersion    string   `json:"go"`
	ClockGHz     float64  `json:"clock_ghz"`
	AVX2GFLOPS   float64  `json:"avx2_gflops"`
	AVX512GFLOPS float64  `json:"avx512_gflops"`
	PeakGFLOPS   float64  `json:"peak_gflops"`
	L2ReadGBs    float64  `json:"l2_read_gbs"`
	L2BPerCycle  float64  `json:"l2_bytes_per_cycle"`
}

// OneTime are the costs paid once per network (onetime's JSON).
type OneTime struct {
	Networks []NetworkOneTime `json:"networks"`
	// Binary size of a tiny main with and without generated/mnist (R2).
	SizeWithout int64  `json:"size_without"`
	SizeWith    int64  `json:"size_with"`
	SizeNote    string `json:"size_note,omitempty"`
}

// NetworkOneTime is the generation and build cost of one network.
type NetworkOneTime struct {
	Network string  `json:"network"`
	GenMS   float64 `json:"gen_ms"`   // nngen gen, median of a few runs
	BuildMS float64 `json:"build_ms"` // go build of the generated package, dependencies cached
	GoLines int     `json:"go_lines"` // lines of generated Go and assembly
	Error   string  `json:"error,omitempty"`
}
