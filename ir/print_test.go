package ir

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.ir")

// TestGoldenIR compares the printed program of every reference spec with
// testdata/NAME.ir: a lowering or kernel-selection change shows there as a
// few readable lines (go test ./ir -run GoldenIR -update, then review).
func TestGoldenIR(t *testing.T) {
	for name, m := range loadSpecs(t) {
		for _, infer := range []bool{false, true} {
			p, err := Compile(m, Options{Infer: infer})
			if err != nil {
				t.Fatal(err)
			}
			file := strings.TrimSuffix(name, ".nn") + ".ir"
			if infer {
				file = strings.TrimSuffix(name, ".nn") + "_infer.ir"
			}
			path := filepath.Join("testdata", file)
			got := p.String()
			if again := p.String(); again != got {
				t.Errorf("%s: printing is not deterministic", file)
			}
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the golden file (run with -update and review the diff):\n%s", file, firstDiff(string(want), got))
			}
		}
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, a, b)
		}
	}
	return ""
}
