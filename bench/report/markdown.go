package report

import (
	"fmt"
	"sort"
	"strings"
)

// Markdown renders the whole report.
func (run *Run) Markdown() string {
	var b strings.Builder
	b.WriteString("# nngen benchmark\n\n")
	run.machineSection(&b)
	run.warnings(&b)
	rows := run.Rows()
	run.speedupSection(&b, rows)
	run.timeSection(&b, rows)
	run.spreadSection(&b, rows)
	run.floorSection(&b)
	run.memorySection(&b)
	run.oneTimeSection(&b)
	run.checkSection(&b)
	return b.String()
}

func (run *Run) machineSection(b *strings.Builder) {
	m := run.Machine
	fmt.Fprintf(b, "- CPU: %s (%s); Go %s\n", m.CPU, strings.Join(m.Flags, " "), m.GoVersion)
	fmt.Fprintf(b, "- clock, measured (dependent integer adds): %.2f GHz\n", m.ClockGHz)
	fmt.Fprintf(b, "- FP32 FMA peak of one core, measured (register-only loops): AVX2 ymm %.1f GFLOP/s (%.1f FLOP/cycle)",
		m.AVX2GFLOPS, perCycle(m.AVX2GFLOPS, m.ClockGHz))
	if m.AVX512GFLOPS > 0 {
		fmt.Fprintf(b, ", AVX-512 zmm %.1f GFLOP/s (%.1f FLOP/cycle)", m.AVX512GFLOPS, perCycle(m.AVX512GFLOPS, m.ClockGHz))
	} else {
		b.WriteString(", AVX-512: not on this CPU")
	}
	fmt.Fprintf(b, "; the floors use %.1f GFLOP/s\n", m.PeakGFLOPS)
	fmt.Fprintf(b, "- L2 read bandwidth, measured (256 KiB buffer): %.1f GB/s (%.1f B/cycle)\n", m.L2ReadGBs, m.L2BPerCycle)
	for _, k := range sortedKeys(run.Meta) {
		fmt.Fprintf(b, "- %s: %s\n", k, run.Meta[k])
	}
	b.WriteString("\nTimes are per call: the median of the repetitions, each timing enough back-to-back calls " +
		"to last the repetition length, after a warm-up. FLOPs per call come from `spec.Load(…).Total()` " +
		"(a multiply-add is 2): forward per example × batch, and for Step forward + backward per example × batch.\n\n")
}

func perCycle(gflops, ghz float64) float64 {
	if ghz == 0 {
		return 0
	}
	return gflops / ghz
}

// speedupSection is the table the README quotes: ratios, not times.
func (run *Run) speedupSection(b *strings.Builder, rows []*Row) {
	b.WriteString("## Speedup of nngen over each peer\n\npeer time ÷ nngen time: above 1, nngen is faster. " +
		"PyTorch is the faster of eager and TorchScript on each row. The last column is nngen's one-thread time ÷ " +
		"its time with SetThreads(2) on two cores (2 is perfect scaling; — for Forward, which runs on one goroutine).\n\n")
	t := newTable(b, "network", "operation", "vs nngen purego", "vs ref (gonum)", "vs hand-written Go", "vs PyTorch", "PyTorch mode", "nngen ÷ floor", "2 threads ÷ 1")
	for _, r := range rows {
		t.row(r.Net.Title(), OpTitles[r.Op], ratio(r.Speedup("nngen-purego")), ratio(r.Speedup("ref")),
			ratio(r.Speedup("handwritten")), ratio(r.Speedup("torch")), r.TorchWinner(), ratio(r.ToFloor()), ratio(r.Scaling()))
	}
	b.WriteString("\n")
}

func (run *Run) timeSection(b *strings.Builder, rows []*Row) {
	b.WriteString("## Time per call and GFLOP/s\n\n")
	head := []string{"network", "operation", "FLOP/call", "floor"}
	for _, p := range Peers {
		head = append(head, PeerTitles[p])
	}
	t := newTable(b, head...)
	for _, r := range rows {
		cells := []string{r.Net.Title(), OpTitles[r.Op], count(r.FLOPs), dur(r.Floor())}
		for _, p := range Peers {
			cells = append(cells, r.timeCell(p))
		}
		t.row(cells...)
	}
	b.WriteString("\n")
}

func (r *Row) timeCell(impl string) string {
	x := r.Res[impl]
	if x == nil {
		return "—"
	}
	return fmt.Sprintf("%s · %s GF/s", dur(x.Median), rate(r.GFLOPS(impl)))
}

func (run *Run) spreadSection(b *strings.Builder, rows []*Row) {
	b.WriteString("## Spread\n\nquartiles q1–q3 (min–max) of the per-call time over the repetitions; " +
		"n = repetitions × calls each.\n\n")
	head := []string{"network", "operation"}
	for _, p := range Peers {
		head = append(head, PeerTitles[p])
	}
	t := newTable(b, head...)
	for _, r := range rows {
		cells := []string{r.Net.Title(), OpTitles[r.Op]}
		for _, p := range Peers {
			cells = append(cells, spreadCell(r.Res[p]))
		}
		t.row(cells...)
	}
	b.WriteString("\n")
}

func spreadCell(x *Result) string {
	if x == nil {
		return "—"
	}
	return fmt.Sprintf("%s–%s (%s–%s), n=%d×%d", dur(x.Q1), dur(x.Q3), dur(x.Min), dur(x.Max), x.Reps, x.Calls)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
