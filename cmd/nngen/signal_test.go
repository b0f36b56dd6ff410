//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The signal tests run nngen as a child: this test binary, re-executed
// with NNGEN_TEST_MAIN set, is nngen. (An init rather than a TestMain, so
// that no other test file has to know.) NNGEN_TEST_SLOW_WRITE makes each
// write of a temporary take 200 ms, so that a signal lands mid-write;
// NNGEN_TEST_CAUGHT names a file created once nngen catches the signals.
func init() {
	if os.Getenv("NNGEN_TEST_MAIN") == "" {
		return
	}
	if path := os.Getenv("NNGEN_TEST_CAUGHT"); path != "" {
		testHookSignalsCaught = func() { os.WriteFile(path, nil, 0o644) }
	}
	if os.Getenv("NNGEN_TEST_SLOW_WRITE") != "" {
		testHookAfterTemp = func(string) error {
			time.Sleep(200 * time.Millisecond)
			return nil
		}
	}
	main()
}

// child is a running `nngen args...`.
type child struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
}

func startNNGen(t *testing.T, env []string, args ...string) *child {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	c := &child{cmd: exec.CommandContext(ctx, os.Args[0], args...)}
	c.cmd.Env = append(append(os.Environ(), "NNGEN_TEST_MAIN=1"), env...)
	c.cmd.Stderr = &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return c
}

// terminate sends SIGTERM and checks nngen exits with 143, saying why.
func (c *child) terminate(t *testing.T) {
	t.Helper()
	c.cmd.Process.Signal(syscall.SIGTERM)
	err := c.cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 128+int(syscall.SIGTERM) {
		t.Errorf("after SIGTERM: %v, want exit status 143; stderr %q", err, c.stderr.String())
	}
	if !strings.Contains(c.stderr.String(), "stopped by signal: terminated") {
		t.Errorf("stderr %q does not say why", c.stderr.String())
	}
}

// waitFor polls until found returns true.
func waitFor(t *testing.T, what string, found func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !found(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s after 30 s", what)
		}
	}
}

func globs(pattern string) bool {
	m, _ := filepath.Glob(pattern)
	return len(m) > 0
}

// TestGenSignal: SIGTERM while generating, or while the temporaries are
// being written, leaves the old package as it was and no temporary.
func TestGenSignal(t *testing.T) {
	dir := t.TempDir()
	spec := copySpec(t, dir, "r2_mnist.nn")
	mustGen(t, "-mode", "infer", spec)
	before := snapshot(t, dir)

	caught := filepath.Join(t.TempDir(), "caught")
	c := startNNGen(t, []string{"NNGEN_TEST_CAUGHT=" + caught}, "gen", spec)
	waitFor(t, "signal handler", func() bool { return globs(caught) }) // under load or -race a fixed sleep was too short
	time.Sleep(20 * time.Millisecond)                                  // generating R2 takes about a second
	c.terminate(t)
	checkUnchanged(t, dir, before)

	c = startNNGen(t, []string{"NNGEN_TEST_SLOW_WRITE=1"}, "gen", spec)
	waitFor(t, "temporary", func() bool { return globs(filepath.Join(dir, "*"+tempInfix+"*")) })
	c.terminate(t)
	checkUnchanged(t, dir, before)
}

// TestVerifySignal: SIGTERM while go test runs removes verify's
// temporary module and all that go test put in it.
func TestVerifySignal(t *testing.T) {
	tmp := t.TempDir()
	c := startNNGen(t, []string{"TMPDIR=" + tmp}, "verify", "../../testdata/specs/r1_housing.nn")
	waitFor(t, "temporary module", func() bool { return globs(filepath.Join(tmp, "nngen-verify-*", "go.mod")) })
	time.Sleep(300 * time.Millisecond) // go test is building
	c.terminate(t)
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left in TMPDIR: %v", left)
	}
}
