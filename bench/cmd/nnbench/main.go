// Command nnbench times the Go implementations of one network in-process:
// the nngen-generated package (built normally or with -tags purego), the
// gonum reference (package ref) and the hand-written MLP. It writes one
// JSON document (report.Doc) per run; bench/run.sh runs it once per
// implementation and network, pinned to one core, and merges the documents.
//
//	nnbench -impl nngen|ref|handwritten [-reps N] [-o FILE] SPEC
//	nnbench -machine [-o FILE]     CPU, clock, FMA peak, L2 bandwidth
//	nnbench -dump FILE SPEC        the reference's weights, data and results,
//	                               for torch_bench.py --check
//
// A generated package that does not exist yet is left out of the build
// with -tags nogen_MODEL (run.sh adds the tags itself).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/nngen/nngen/bench/measure"
	"github.com/nngen/nngen/bench/report"
	"github.com/nngen/nngen/spec"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "nnbench:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("nnbench", flag.ContinueOnError)
	impl := fs.String("impl", "nngen", "implementation: nngen, ref or handwritten")
	out := fs.String("o", "-", "output file")
	machine := fs.Bool("machine", false, "measure the machine instead of a network")
	ops := fs.String("ops", strings.Join(report.Ops, ","), "operations to time")
	dump := fs.String("dump", "", "write the reference's weights, batch, output and loss to this file and exit")
	threads := fs.Int("threads", 1, "nngen only: SetThreads(`N`) before timing")
	var o measure.Options
	fs.IntVar(&o.Reps, "reps", 15, "repetitions")
	fs.DurationVar(&o.Rep, "rep", 20*time.Millisecond, "target length of a repetition")
	fs.DurationVar(&o.Warmup, "warmup", 100*time.Millisecond, "warm-up per operation")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var doc any
	switch {
	case *machine:
		doc = measureMachine()
	case *dump != "" && fs.NArg() == 1:
		m, err := spec.Load(fs.Arg(0))
		if err != nil {
			return err
		}
		return writeJSON(*dump, stdout, newRefDump(m))
	case fs.NArg() == 1:
		d, err := bench(fs.Arg(0), *impl, *threads, strings.Split(*ops, ","), o)
		if err != nil {
			return err
		}
		doc = d
	default:
		return fmt.Errorf("usage: nnbench [-impl NAME] SPEC | nnbench -machine")
	}
	return writeJSON(*out, stdout, doc)
}

// bench measures impl on the network of specPath.
func bench(specPath, impl string, threads int, opNames []string, o measure.Options) (*report.Doc, error) {
	m, err := spec.Load(specPath)
	if err != nil {
		return nil, err
	}
	d := &report.Doc{
		Impl:    threadsLabel(implLabel(impl), threads),
		Network: strings.TrimSuffix(filepath.Base(specPath), ".nn"),
		Model:   m.Name,
		Batch:   m.Batch,
		Params:  m.Total().Params,
	}
	r, err := newOps(impl, m)
	if err != nil {
		d.Skipped = err.Error()
		return d, nil
	}
	if err := setThreads(r, threads); err != nil {
		return nil, err
	}
	d.Info, d.Check = r.info, checkOutput(m, r)
	for _, name := range opNames {
		f := r.op(name)
		if f == nil {
			return nil, fmt.Errorf("unknown operation %q", name)
		}
		d.Results = append(d.Results, result(name, measure.Run(f, o)))
	}
	d.MaxRSSKB = maxRSS()
	return d, nil
}

func result(op string, s measure.Stats) report.Result {
	return report.Result{Op: op, Median: s.Median, Q1: s.Q1, Q3: s.Q3,
		Min: s.Min, Max: s.Max, Reps: s.Reps, Calls: s.Calls, Samples: s.Samples}
}

// maxRSS is the peak resident set of this process in KiB (Linux units).
func maxRSS() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return int64(ru.Maxrss)
}

func writeJSON(path string, stdout io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if path == "-" {
		_, err = stdout.Write(b)
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// threadsLabel names a run with more than one thread: nngen-t2.
func threadsLabel(impl string, threads int) string {
	if threads > 1 {
		return fmt.Sprintf("%s-t%d", impl, threads)
	}
	return impl
}

// setThreads applies -threads to a generated model.
func setThreads(r *ops, threads int) error {
	if threads <= 1 {
		return nil
	}
	t, ok := r.model.(interface{ SetThreads(int) })
	if !ok {
		return fmt.Errorf("-threads %d: %s has no SetThreads", threads, r.info)
	}
	t.SetThreads(threads)
	return nil
}
