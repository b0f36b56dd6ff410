package spec

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/errors/*.golden from the current messages")

// TestErrorGoldens loads every refused spec in testdata/errors and compares
// the error text with NAME.golden. It runs from that directory so positions
// read "NAME.nn:line:col" on any machine.
func TestErrorGoldens(t *testing.T) {
	t.Chdir("../testdata/errors")
	paths, err := filepath.Glob("*.nn")
	if err != nil || len(paths) < 25 {
		t.Fatalf("found %d error specs (%v), want at least 25", len(paths), err)
	}
	for _, p := range paths {
		golden := strings.TrimSuffix(p, ".nn") + ".golden"
		_, err := Load(p)
		if err == nil {
			t.Errorf("%s: loaded without error", p)
			continue
		}
		got := err.Error() + "\n"
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("%s: %v (run go test ./spec -run TestErrorGoldens -update)", p, err)
			continue
		}
		if got != string(want) {
			t.Errorf("%s:\ngot:\n%swant:\n%s", p, got, want)
		}
	}
}
