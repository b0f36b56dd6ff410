// Command benchreport merges the JSON documents of one benchmark run
// (bench/run.sh writes them to bench/results/raw) into bench.md and
// bench.csv, and prints the Markdown.
//
//	benchreport [-raw DIR] [-specs DIR] [-out DIR]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nngen/nngen/bench/report"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("benchreport", flag.ContinueOnError)
	raw := fs.String("raw", "bench/results/raw", "directory of the run's JSON documents")
	specs := fs.String("specs", "testdata/specs", "directory of the .nn specs")
	out := fs.String("out", "bench/results", "directory for bench.md and bench.csv")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r, err := report.Load(*raw, *specs)
	if err != nil {
		return err
	}
	md := r.Markdown()
	var csv bytes.Buffer
	if err := r.WriteCSV(&csv); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, "bench.md"), []byte(md), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, "bench.csv"), csv.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Print(md)
	return nil
}
