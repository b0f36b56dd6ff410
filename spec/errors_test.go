package spec

import (
	"fmt"
	"strings"
	"testing"
)

// TestErrorListSortsAndTruncates checks order by position and the summary line.
func TestErrorListSortsAndTruncates(t *testing.T) {
	var l ErrorList
	for i := 12; i >= 1; i-- {
		l.Add(Pos{"f.nn", i, 2}, "problem %d", i)
	}
	l.Add(Pos{"f.nn", 1, 1}, "first")
	err := l.Err()
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 11 || lines[10] != "(and 3 more errors)" {
		t.Fatalf("got %d lines, last %q", len(lines), lines[len(lines)-1])
	}
	if lines[0] != "f.nn:1:1: first" || lines[1] != "f.nn:1:2: problem 1" || lines[9] != "f.nn:9:2: problem 9" {
		t.Errorf("wrong order: %q", lines)
	}
}

// TestErrorListEmpty checks that no errors is a nil error.
func TestErrorListEmpty(t *testing.T) {
	var l ErrorList
	if err := l.Err(); err != nil {
		t.Errorf("empty list gave %v", err)
	}
	if got := fmt.Sprint(ErrorList{{Pos{"a", 1, 2}, "x"}}); got != "a:1:2: x" {
		t.Errorf("one error prints %q", got)
	}
}

// TestSuggest checks near misses, far misses and transpositions.
func TestSuggest(t *testing.T) {
	cands := []string{"dense", "relu", "bias", "mse", "crossentropy", "float32", "float64"}
	tests := map[string]string{
		"dens": "dense", "bais": "bias", "mes": "mse", "crossentrpy": "crossentropy",
		"flaot64": "float64", "float16": "float32", "xyz": "", "dense": "", "": "",
	}
	for word, want := range tests {
		if got := nearest(word, cands); got != want {
			t.Errorf("nearest(%q) = %q, want %q", word, got, want)
		}
	}
	if got := editDistance("kitten", "sitting"); got != 3 {
		t.Errorf("editDistance(kitten, sitting) = %d, want 3", got)
	}
}
