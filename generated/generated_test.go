package generated

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"github.com/nngen/nngen/gen"
	"github.com/nngen/nngen/spec"
)

// references maps each checked-in generated package directory to its spec,
// as the go:generate lines in doc.go and examples/digits/gen.go do.
var references = map[string]string{
	"housing":                     "../testdata/specs/r1_housing.nn",
	"mnist":                       "../testdata/specs/r2_mnist.nn",
	"resnet":                      "../testdata/specs/r3_resnet.nn",
	"digits":                      "../testdata/specs/r4_digits.nn",
	"signal":                      "../testdata/specs/r5_signal.nn",
	"../examples/digits/digitnet": "../examples/digits/model.nn",
}

var generatedHeader = regexp.MustCompile(`^// Code generated .* DO NOT EDIT\.$`)

// TestGeneratedFilesUpToDate regenerates every package in memory and fails
// on any difference from the checked-in files, and on generated files that
// nngen would no longer produce (in the style of the Go compiler's test of
// the same name).
func TestGeneratedFilesUpToDate(t *testing.T) {
	for _, dir := range sortedKeys(references) {
		m, err := spec.Load(references[dir])
		if err != nil {
			t.Fatal(err)
		}
		want, err := gen.Generate(m, gen.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range sortedKeys(want) {
			got, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil || !bytes.Equal(got, want[name]) {
				t.Errorf("%s/%s is stale: run go generate ./generated", dir, name)
			}
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if _, ok := want[e.Name()]; !ok && isGenerated(filepath.Join(dir, e.Name())) {
				t.Errorf("%s/%s is generated but no longer produced: delete it", dir, e.Name())
			}
		}
	}
}

func isGenerated(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	return generatedHeader.Match(first)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
