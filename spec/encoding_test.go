package spec

import (
	"strings"
	"testing"
)

const lfSpec = "model m\ninput 3\ndense 2\nloss mse\noptimizer sgd lr=0.1\n"

// TestLineEndingsAndBOM: a UTF-8 BOM, CRLF and lone-CR line endings give
// the same model as LF, and errors the same positions.
func TestLineEndingsAndBOM(t *testing.T) {
	for name, src := range map[string]string{
		"BOM":  "\uFEFF" + lfSpec,
		"CRLF": strings.ReplaceAll(lfSpec, "\n", "\r\n"),
		"CR":   strings.ReplaceAll(lfSpec, "\n", "\r"),
	} {
		m, err := ParseAndCheck("m.nn", []byte(src))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if m.Output.Size() != 2 || len(m.Layers) != 1 {
			t.Errorf("%s: model %v", name, m.Layers)
		}
		bad := strings.Replace(src, "dense 2", "dense x", 1)
		if _, err := ParseAndCheck("m.nn", []byte(bad)); err == nil || !strings.HasPrefix(err.Error(), "m.nn:3:7:") {
			t.Errorf("%s: error %v, want it at m.nn:3:7", name, err)
		}
	}
}

// TestLongWordCut: an error quotes at most maxQuoted bytes of a word.
func TestLongWordCut(t *testing.T) {
	long := strings.Repeat("x", MaxSpecBytes/2)
	_, err := ParseAndCheck("m.nn", []byte(strings.Replace(lfSpec, "dense 2", long, 1)))
	if err == nil || len(err.Error()) > 400 || !strings.Contains(err.Error(), "…") {
		t.Errorf("error of %d bytes for a 512 KiB word: %.200q", len(err.Error()), err)
	}
}
