package report

import (
	"fmt"
	"strings"
)

// dur formats nanoseconds with three significant digits.
func dur(ns float64) string {
	switch {
	case ns <= 0:
		return "—"
	case ns < 1e3:
		return sig(ns) + " ns"
	case ns < 1e6:
		return sig(ns/1e3) + " µs"
	case ns < 1e9:
		return sig(ns/1e6) + " ms"
	}
	return sig(ns/1e9) + " s"
}

// sig keeps three significant digits.
func sig(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// rate formats GFLOP/s, keeping two significant digits of small rates.
func rate(v float64) string {
	if v < 1 {
		return fmt.Sprintf("%.2g", v)
	}
	return sig(v)
}

func ratio(v float64) string {
	if v <= 0 {
		return "—"
	}
	return sig(v) + "×"
}

func count(n int64) string {
	switch {
	case n >= 1e9:
		return sig(float64(n)/1e9) + " G"
	case n >= 1e6:
		return sig(float64(n)/1e6) + " M"
	case n >= 1e3:
		return sig(float64(n)/1e3) + " k"
	}
	return fmt.Sprint(n)
}

// table writes a Markdown table.
type table struct {
	b    *strings.Builder
	cols int
}

func newTable(b *strings.Builder, head ...string) *table {
	t := &table{b: b, cols: len(head)}
	t.row(head...)
	b.WriteString("|" + strings.Repeat(" --- |", len(head)) + "\n")
	return t
}

func (t *table) row(cells ...string) {
	t.b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
}
