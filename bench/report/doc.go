// Package report holds the JSON documents the benchmark's measuring
// programs write (nnbench, torch_bench.py, the machine and one-time
// measurements) and turns them into the Markdown and CSV tables of
// bench/results.
package report
