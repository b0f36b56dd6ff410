package progress

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// clock is a fake time that moves 60 ms each time it is read.
func clock() func() time.Time {
	t := time.Unix(0, 0)
	return func() time.Time {
		t = t.Add(60 * time.Millisecond)
		return t
	}
}

// run measures an epoch of 10 batches of 32 examples, losses 1, 0.9, …
func run(m *Meter) Epoch {
	m.Start(3)
	for i := range 10 {
		m.Add(32, 1-float64(i)/10)
	}
	return m.Stop()
}

func TestLive(t *testing.T) {
	var b bytes.Buffer
	m := &Meter{w: &b, live: true, total: 320, now: clock()}
	e := run(m)
	out := b.String()
	if !strings.Contains(out, "\repoch 3: 64/320 (20%) examples, 533 examples/s, loss 0.9500") {
		t.Errorf("no live line in %q", out)
	}
	// The line is blanked at the end, so the caller's summary replaces it.
	if !strings.HasSuffix(out, "\r"+strings.Repeat(" ", len("epoch 3: 320/320 (100%) examples, 533 examples/s, loss 0.5500"))+"\r") {
		t.Errorf("the live line is not blanked: %q", out)
	}
	// Start reads the clock at 0.06 s, each Add once, Stop at 0.72 s.
	if e.N != 3 || e.Examples != 320 || math.Abs(e.Seconds-0.66) > 1e-9 || math.Abs(e.Loss-0.55) > 1e-9 {
		t.Errorf("epoch %+v, want 3, 320 examples, 0.66 s, loss 0.55", e)
	}
	if got := e.String(); got != "epoch  3: training loss 0.5500,    485 examples/s, 660.00 ms" {
		t.Errorf("String: %q", got)
	}
	if got := (Epoch{N: 12, Loss: 0.1, Examples: 60000, Seconds: 1.5}).String(); got != "epoch 12: training loss 0.1000,  40000 examples/s, 1.50 s" {
		t.Errorf("String: %q", got)
	}
	if got := (Epoch{N: 1, Loss: 0.1, Examples: 368, Seconds: 14.2e-6}).String(); got != "epoch  1: training loss 0.1000, 25915493 examples/s, 14.2 µs" {
		t.Errorf("String: %q", got)
	}
}

// TestQuiet: not a terminal, nothing is written.
func TestQuiet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) || IsTerminal(&bytes.Buffer{}) {
		t.Fatal("a file or a buffer taken for a terminal")
	}
	m := New(f, 320)
	m.now = clock()
	run(m)
	if info, _ := f.Stat(); info.Size() != 0 {
		t.Errorf("%d bytes written to a file", info.Size())
	}
}
