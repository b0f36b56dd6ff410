package report

import (
	"fmt"
	"strings"
)

// floorSection explains each network's floors.
func (run *Run) floorSection(b *strings.Builder) {
	m := run.Machine
	fmt.Fprintf(b, "## Floors\n\ncompute floor = FLOPs ÷ %.1f GFLOP/s (the measured FMA peak, as if every FLOP were "+
		"half of a peak-rate FMA); weight floor (batch 1 only) = parameter bytes ÷ %.1f GB/s (the measured "+
		"L2 read bandwidth: the weights of one call are assumed L2-resident, not L1). The floor of a row is the larger.\n\n",
		m.PeakGFLOPS, m.L2ReadGBs)
	t := newTable(b, "network", "params", "weights", "forward FLOP/example", "backward FLOP/example",
		"batch", "Forward compute floor", "Forward weight floor", "ForwardBatch floor", "Step floor")
	for _, n := range run.Networks {
		f1, fb, st := run.row(n, "forward1"), run.row(n, "forwardbatch"), run.row(n, "step")
		t.row(n.Title(), count(n.Cost.Params), fmt.Sprintf("%.1f KiB", float64(n.Model.ParamBytes())/1024),
			count(n.Cost.Forward), count(n.Cost.Backward), fmt.Sprint(n.Model.Batch),
			dur(f1.Compute), dur(f1.Weights), dur(fb.Floor()), dur(st.Floor()))
	}
	b.WriteString("\n")
}

func (run *Run) memorySection(b *strings.Builder) {
	b.WriteString("## Peak memory\n\nmaximum resident set (getrusage) of the process that measured one " +
		"implementation on one network, MiB; it includes the runtime (Go, or Python with torch).\n\n")
	head := []string{"network"}
	for _, p := range Peers {
		head = append(head, PeerTitles[p])
	}
	t := newTable(b, head...)
	for _, n := range run.Networks {
		cells := []string{n.Title()}
		for _, p := range Peers {
			cells = append(cells, rssCell(n.Docs[p]))
		}
		t.row(cells...)
	}
	b.WriteString("\n")
}

func rssCell(d *Doc) string {
	if d == nil || d.MaxRSSKB == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f", float64(d.MaxRSSKB)/1024)
}

func (run *Run) oneTimeSection(b *strings.Builder) {
	b.WriteString("## One-time costs\n\n")
	ot := run.OneTime
	if ot == nil {
		b.WriteString("not measured\n\n")
		return
	}
	t := newTable(b, "network", "nngen gen", "go build (deps cached)", "generated lines", "note")
	for _, n := range ot.Networks {
		t.row(n.Network, dur(n.GenMS*1e6), dur(n.BuildMS*1e6), fmt.Sprint(n.GoLines), n.Error)
	}
	if ot.SizeWith > 0 {
		fmt.Fprintf(b, "\nbinary size of a tiny main: %d bytes without generated/mnist, %d bytes with it "+
			"(calling New, Init, Forward, Step): +%.1f KiB for R2 (%.1f KiB of weights live in the heap, not the binary)\n",
			ot.SizeWithout, ot.SizeWith, float64(ot.SizeWith-ot.SizeWithout)/1024, mnistKiB(run))
	}
	if ot.SizeNote != "" {
		fmt.Fprintf(b, "\n%s\n", ot.SizeNote)
	}
	b.WriteString("\n")
}

func mnistKiB(run *Run) float64 {
	for _, n := range run.Networks {
		if n.Model.Name == "mnist" {
			return float64(n.Model.ParamBytes()) / 1024
		}
	}
	return 0
}

// checkSection lists what each measured implementation reported about
// itself: agreement with the reference, parameter counts, versions.
func (run *Run) checkSection(b *strings.Builder) {
	b.WriteString("## Checks\n\n")
	for _, n := range run.Networks {
		for _, p := range Peers {
			d := n.Docs[p]
			if d == nil {
				continue
			}
			fmt.Fprintf(b, "- %s, %s: %s\n", n.Title(), PeerTitles[p], checkLine(n, d))
		}
	}
	b.WriteString("\n")
}

func checkLine(n *Network, d *Doc) string {
	var parts []string
	if d.Skipped != "" {
		return "not measured: " + d.Skipped
	}
	if d.Params != n.Cost.Params {
		parts = append(parts, fmt.Sprintf("PARAMETER COUNT %d, spec has %d", d.Params, n.Cost.Params))
	}
	for _, s := range []string{d.Check, d.Info} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}

// warnings puts at the top any implementation whose output disagreed with
// the reference or whose parameter count differs from the spec's: its
// times compare unequal work.
func (run *Run) warnings(b *strings.Builder) {
	for _, n := range run.Networks {
		for _, p := range Peers {
			d := n.Docs[p]
			if d == nil || d.Skipped != "" {
				continue
			}
			if strings.Contains(d.Check, "MISMATCH") || d.Params != n.Cost.Params {
				fmt.Fprintf(b, "**WARNING: %s on %s does not match the reference: %s**\n\n", PeerTitles[p], n.Title(), checkLine(n, d))
			}
		}
	}
}
