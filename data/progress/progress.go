// Package progress shows a training run's progress: on a terminal, the
// epoch, the examples per second and the running loss, redrawn in place
// with '\r'; elsewhere (a file, a pipe, a test) nothing until the epoch's
// summary line, which the caller prints from Stop's Epoch.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// redrawEvery bounds how often the live line is redrawn.
const redrawEvery = 100 * time.Millisecond

// Meter measures one epoch at a time.
type Meter struct {
	w     io.Writer
	live  bool // w is a terminal: redraw the line in place
	total int  // examples per epoch, for the percentage; 0 if unknown
	now   func() time.Time

	epoch    Epoch
	start    time.Time
	drawn    time.Time // of the last redraw
	width    int       // of the line on the screen, to blank it
	lossSum  float64
	lossRuns int
}

// New returns a Meter writing to w, live if w is a terminal; total is the
// number of examples in an epoch (0 if unknown).
func New(w io.Writer, total int) *Meter {
	return &Meter{w: w, live: IsTerminal(w), total: total, now: time.Now}
}

// IsTerminal reports whether w is a terminal (a character device).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// Start starts epoch number n (counted from 1).
func (m *Meter) Start(n int) {
	m.epoch = Epoch{N: n}
	m.lossSum, m.lossRuns = 0, 0
	m.start = m.now()
	m.drawn = m.start
}

// Add counts a batch of n examples whose mean loss was loss.
func (m *Meter) Add(n int, loss float64) {
	m.epoch.Examples += n
	m.lossSum += loss
	m.lossRuns++
	if m.live {
		if now := m.now(); now.Sub(m.drawn) >= redrawEvery {
			m.drawn = now
			m.draw(now)
		}
	}
}

// Stop ends the epoch, blanks the live line and returns the epoch's figures.
func (m *Meter) Stop() Epoch {
	m.epoch.Seconds = m.now().Sub(m.start).Seconds()
	if m.lossRuns > 0 {
		m.epoch.Loss = m.lossSum / float64(m.lossRuns)
	}
	if m.live && m.width > 0 {
		fmt.Fprintf(m.w, "\r%s\r", strings.Repeat(" ", m.width))
		m.width = 0
	}
	return m.epoch
}

// draw redraws the live line.
func (m *Meter) draw(now time.Time) {
	e := m.epoch
	e.Seconds = now.Sub(m.start).Seconds()
	line := fmt.Sprintf("epoch %d: %d", e.N, e.Examples)
	if m.total > 0 {
		line += fmt.Sprintf("/%d (%.0f%%)", m.total, 100*float64(e.Examples)/float64(m.total))
	}
	line += fmt.Sprintf(" examples, %.0f examples/s, loss %.4f", e.PerSecond(), m.lossSum/float64(m.lossRuns))
	pad := max(0, m.width-len(line))
	fmt.Fprintf(m.w, "\r%s%s", line, strings.Repeat(" ", pad))
	m.width = len(line)
}

// Epoch is what an epoch of training measured.
type Epoch struct {
	N        int     // counted from 1
	Loss     float64 // mean of the batches' losses
	Examples int
	Seconds  float64 // training only, from Start to Stop
}

// PerSecond returns the examples trained on per second.
func (e Epoch) PerSecond() float64 {
	if e.Seconds == 0 {
		return 0
	}
	return float64(e.Examples) / e.Seconds
}

// String formats the epoch for a summary line:
// "epoch  3: training loss 0.0712, 51234 examples/s, 1.17 s".
func (e Epoch) String() string {
	return fmt.Sprintf("epoch %2d: training loss %.4f, %6.0f examples/s, %s", e.N, e.Loss, e.PerSecond(), seconds(e.Seconds))
}

// seconds formats a duration as "1.17 s", "3.25 ms" or "14.2 µs".
func seconds(s float64) string {
	switch {
	case s < 1e-3:
		return fmt.Sprintf("%.1f µs", 1e6*s)
	case s < 1:
		return fmt.Sprintf("%.2f ms", 1e3*s)
	}
	return fmt.Sprintf("%.2f s", s)
}
