package gen

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nngen/nngen/spec"
)

// changedLines counts the lines that differ between two versions of a
// package: lines present in one and not the other, counted with their
// multiplicity (a moved line is not a change; a diff tool shows at least
// this many).
func changedLines(a, b map[string][]byte, skip func(name string) bool) int {
	n := 0
	for _, name := range unionKeys(a, b) {
		if skip(name) {
			continue
		}
		count := map[string]int{}
		for _, l := range strings.Split(string(a[name]), "\n") {
			count[l]++
		}
		for _, l := range strings.Split(string(b[name]), "\n") {
			count[l]--
		}
		for _, c := range count {
			n += max(c, -c)
		}
	}
	return n
}

func unionKeys(a, b map[string][]byte) []string {
	seen := map[string]bool{}
	for k := range a {
		seen[k] = true
	}
	for k := range b {
		seen[k] = true
	}
	return sortedKeys(seen)
}

func generateSource(t *testing.T, src string) map[string][]byte {
	t.Helper()
	m, err := spec.ParseAndCheck("r2_mnist.nn", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestDiffLocality holds the generated code to what a reviewer can read in
// a diff: a comment line added to the spec changes at most 10 lines of the
// package (the spec's line table), since statements are echoed, not
// located.
func TestDiffLocality(t *testing.T) {
	src, err := os.ReadFile("../testdata/specs/r2_mnist.nn")
	if err != nil {
		t.Fatal(err)
	}
	base := generateSource(t, string(src))
	commented := generateSource(t, strings.Replace(string(src), "dense 128", "# a comment a reviewer adds\ndense 128", 1))
	if n := changedLines(base, commented, func(string) bool { return false }); n > 10 {
		t.Errorf("a comment line added to R2's spec changes %d lines of its package, want ≤ 10", n)
	} else {
		t.Logf("a comment line added to R2's spec changes %d lines", n)
	}
}

// TestKernelDiffSize measures what a reviewer reads of the assembly: R2's
// .s lines, the lines that changing R2's dense 128 to dense 96 changes
// outside the package's test file, and the repository's checked-in .s
// lines. It fails past their targets: 2,000 lines of R2's assembly, 800
// lines of diff, 60,000 checked in.
func TestKernelDiffSize(t *testing.T) {
	src, err := os.ReadFile("../testdata/specs/r2_mnist.nn")
	if err != nil {
		t.Fatal(err)
	}
	base := generateSource(t, string(src))
	narrow := generateSource(t, strings.Replace(string(src), "dense 128", "dense 96", 1))
	asmLines := strings.Count(string(base["mnist_kernels_amd64.s"]), "\n")
	changed := changedLines(base, narrow, func(name string) bool { return strings.HasSuffix(name, "_test.go") })
	t.Logf("R2: %d lines of assembly (target 2000); dense 128 → 96 changes %d lines outside the test file (target 800)", asmLines, changed)
	if asmLines > maxR2Asm {
		t.Errorf("R2's assembly has %d lines, want ≤ %d", asmLines, maxR2Asm)
	}
	if changed > maxR2Diff {
		t.Errorf("R2's dense 128 → 96 changes %d lines, want ≤ %d", changed, maxR2Diff)
	}
	total := checkedInAsmLines(t, "..")
	if total > maxCheckedInAsm {
		t.Errorf("the repository's .s files have %d lines, want ≤ %d", total, maxCheckedInAsm)
	} else {
		t.Logf("the repository's .s files have %d lines", total)
	}
}

const maxCheckedInAsm = 60000

// R2's assembly and its diff: their targets.
const maxR2Asm, maxR2Diff = 2000, 800

// checkedInAsmLines counts the lines of the .s files under root.
func checkedInAsmLines(t *testing.T, root string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".s") {
			return err
		}
		src, err := os.ReadFile(path)
		n += strings.Count(string(src), "\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
