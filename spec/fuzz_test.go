package spec

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary text to ParseAndCheck: it must never panic, every
// error must carry a position and a message, and an accepted model must be
// within the limits with every shape resolved.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"../testdata/specs", "../testdata/errors"} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.nn"))
		for _, p := range paths {
			src, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := ParseAndCheck("fuzz.nn", src)
		if err != nil {
			checkErrorList(t, err)
			return
		}
		checkModel(t, m)
	})
}

func checkErrorList(t *testing.T, err error) {
	var list ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("error %v is not a non-empty ErrorList", err)
	}
	for _, e := range list {
		if e.Msg == "" || e.Pos.File != "fuzz.nn" || e.Pos.Line < 1 || e.Pos.Col < 1 {
			t.Fatalf("error without position or message: %#v", e)
		}
	}
}

func checkModel(t *testing.T, m *Model) {
	total := 0
	for _, p := range m.Params {
		total += p.Shape.Size()
	}
	if total > MaxParams || m.Batch < 1 || m.Output == nil || m.Name == "" {
		t.Fatalf("accepted a bad model: %d params, batch %d, output %v, name %q", total, m.Batch, m.Output, m.Name)
	}
	m.Walk(func(l *Layer) {
		if l.In == nil || l.Out == nil || l.Out.Size() > MaxActivation || l.ID == "" {
			t.Fatalf("layer %s at %v: in %v out %v", l.ID, l.Pos, l.In, l.Out)
		}
	})
}
