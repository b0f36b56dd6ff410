package report

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"
)

// WriteCSV writes one line per network, operation and implementation.
func (run *Run) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"network", "op", "impl", "flops", "median_ns", "q1_ns", "q3_ns", "min_ns", "max_ns",
		"reps", "calls", "gflops", "speedup_of_nngen", "floor_ns", "nngen_to_floor"})
	for _, r := range run.Rows() {
		for _, p := range slices.Concat(Peers, []string{"torch"}) {
			x := r.Res[p]
			if x == nil {
				continue
			}
			cw.Write([]string{r.Net.Name, r.Op, p, itoa(r.FLOPs), ftoa(x.Median), ftoa(x.Q1), ftoa(x.Q3),
				ftoa(x.Min), ftoa(x.Max), itoa(int64(x.Reps)), itoa(int64(x.Calls)), ftoa(r.GFLOPS(p)),
				ftoa(r.Speedup(p)), ftoa(r.Floor()), ftoa(r.ToFloor())})
		}
	}
	cw.Flush()
	return cw.Error()
}

func itoa(n int64) string   { return strconv.FormatInt(n, 10) }
func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
