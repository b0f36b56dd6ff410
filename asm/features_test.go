package asm_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// dispatched are the CPU features nngenSupported checks before it runs a
// path (asm/templates.go), and those every amd64 CPU has.
var dispatched = map[string]bool{
	"AVX": true, "FMA3": true, "AVX2": true, "AVX512F": true, "AVX512VL": true, // checked
	"CMOV": true, "CPUID": true, "SSE": true, "SSE2": true, // amd64's baseline
}

// TestRequiredFeatures reads avo's "Requires:" line of every assembly
// function checked in (the kerneltest kernels and the generated packages):
// a feature nngenSupported does not check would fault on a CPU without it
// (the layer-norm kernels' EVEX steps on registers 16–31 need AVX512VL).
func TestRequiredFeatures(t *testing.T) {
	files, _ := filepath.Glob("../generated/*/*_amd64.s")
	files = append(files, "internal/kerneltest/kernels_amd64.s")
	req := regexp.MustCompile(`// Requires: (.*)`)
	seen := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range req.FindAllStringSubmatch(string(src), -1) {
			seen++
			for _, feat := range strings.Split(m[1], ", ") {
				if !dispatched[feat] {
					t.Errorf("%s: a function requires %s, which nngenSupported does not check", f, feat)
				}
			}
		}
	}
	if seen < 100 {
		t.Fatalf("%d Requires: lines in %d files: the assembly was not found", seen, len(files))
	}
}
