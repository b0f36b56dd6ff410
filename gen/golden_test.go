package gen

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nngen/nngen/spec"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the expected files in testdata/golden/*.txtar")

// TestGolden generates each testdata/golden/*.txtar archive's spec.nn and
// compares every file with the archive's copy. With -update it rewrites the
// archives from the generator's output instead.
func TestGolden(t *testing.T) {
	archives, _ := filepath.Glob("testdata/golden/*.txtar")
	if len(archives) == 0 {
		t.Fatal("no golden archives")
	}
	for _, path := range archives {
		t.Run(filepath.Base(path), func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(ar.Files) == 0 || ar.Files[0].Name != "spec.nn" {
				t.Fatalf("%s: first file must be spec.nn", path)
			}
			m, err := spec.ParseAndCheck("spec.nn", ar.Files[0].Data)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Generate(m, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for name, src := range got {
				got[name] = goldenForm(name, src)
			}
			if *update {
				writeGolden(t, path, ar, got)
				return
			}
			compareGolden(t, ar, got)
		})
	}
}

func compareGolden(t *testing.T, ar *txtar.Archive, got map[string][]byte) {
	t.Helper()
	want := map[string][]byte{}
	for _, f := range ar.Files[1:] {
		want[f.Name] = f.Data
	}
	for _, name := range sortedKeys(got) {
		w, ok := want[name]
		switch {
		case !ok:
			t.Errorf("%s: generated but not in the archive (run with -update)", name)
		case !bytes.Equal(w, got[name]):
			t.Errorf("%s differs from the archive (run with -update and review the diff):\n%s", name, firstDiff(w, got[name]))
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("%s: in the archive but no longer generated", name)
		}
	}
}

func writeGolden(t *testing.T, path string, ar *txtar.Archive, got map[string][]byte) {
	t.Helper()
	ar.Files = ar.Files[:1]
	for _, name := range sortedKeys(got) {
		ar.Files = append(ar.Files, txtar.File{Name: name, Data: got[name]})
	}
	if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}

// goldenForm is a generated file as its archive keeps it. The assembly is
// one line per function (the micro-kernels it calls, its size and a hash
// of its text), so that a change of plan reads as a few lines; and the
// codec, a verbatim copy of weights/codec.go, is its hash. Their full text
// is checked elsewhere: the packages in generated/ are regenerated and
// diffed by CI, asm/internal/kerneltest by TestKernelTestUpToDate, and
// weights/ tests the codec.
func goldenForm(name string, src []byte) []byte {
	switch {
	case strings.HasSuffix(name, "_codec.go"):
		return fmt.Appendf(nil, "verbatim weights/codec.go, sha256 %x\n", sha256.Sum256(src))
	case !strings.HasSuffix(name, ".s"):
		return src
	}
	var b bytes.Buffer
	b.WriteString("assembly: one line per function (calls, lines, sha256 of its text, first 12 digits)\n")
	text, data := string(src), ""
	if i := strings.Index(text, "\nDATA "); i >= 0 { // the read-only tables follow the functions
		text, data = text[:i+1], text[i+1:]
	}
	fns := strings.Split(text, "\nTEXT ")
	for _, fn := range fns[1:] {
		head, body, _ := strings.Cut(fn, "\n")
		var calls []string
		for _, l := range strings.Split(body, "\n") {
			if f := strings.Fields(l); len(f) == 2 && f[0] == "CALL" {
				c, _, _ := strings.Cut(f[1], "+0(SB)")
				if !slices.Contains(calls, c) {
					calls = append(calls, c)
				}
			}
		}
		name, _, _ := strings.Cut(head, "(SB)")
		fmt.Fprintf(&b, "%s", name)
		if len(calls) > 0 {
			fmt.Fprintf(&b, " calls %s", strings.Join(calls, " "))
		}
		fmt.Fprintf(&b, ", %d lines, %.12x\n", strings.Count(body, "\n"), sha256.Sum256([]byte(fn)))
	}
	if data != "" {
		fmt.Fprintf(&b, "data, %d lines, %.12x\n", strings.Count(data, "\n"), sha256.Sum256([]byte(data)))
	}
	return b.Bytes()
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(w) && i < len(g); i++ {
		if w[i] != g[i] {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, w[i], g[i])
		}
	}
	return "one is a prefix of the other"
}
