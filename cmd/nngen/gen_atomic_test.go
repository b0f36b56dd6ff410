package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// entry is what snapshot records of one directory entry.
type entry struct {
	mode  os.FileMode
	mtime time.Time
	data  string // a regular file's bytes, a symlink's target
}

// snapshot records every entry of dir, so that comparing two shows any
// changed byte or time, and any temporary left behind.
func snapshot(t *testing.T, dir string) map[string]entry {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := map[string]entry{}
	for _, de := range des {
		path := filepath.Join(dir, de.Name())
		fi, err := os.Lstat(path)
		if err != nil {
			t.Fatal(err)
		}
		e := entry{mode: fi.Mode(), mtime: fi.ModTime()}
		switch {
		case fi.Mode().IsRegular():
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			e.data = string(b)
		case fi.Mode()&os.ModeSymlink != 0:
			e.data, _ = os.Readlink(path)
		}
		s[de.Name()] = e
	}
	return s
}

// checkUnchanged fails unless dir is as before, and names any temporary.
func checkUnchanged(t *testing.T, dir string, before map[string]entry) {
	t.Helper()
	after := snapshot(t, dir)
	for name := range after {
		if strings.Contains(name, tempInfix) {
			t.Errorf("temporary left behind: %s", name)
		} else if _, ok := before[name]; !ok {
			t.Errorf("new file %s", name)
		}
	}
	for name, b := range before {
		if a, ok := after[name]; !ok {
			t.Errorf("%s removed", name)
		} else if a != b {
			t.Errorf("%s changed: %v %v %d bytes, was %v %v %d bytes", name, a.mode, a.mtime, len(a.data), b.mode, b.mtime, len(b.data))
		}
	}
}

func mustGen(t *testing.T, args ...string) {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(append([]string{"gen"}, args...), &out, &errb); code != exitOK {
		t.Fatalf("nngen gen %v: exit %d: %s", args, code, errb.String())
	}
}

// TestGenFailureMidwayKeepsOldFiles: a write that fails after others
// succeeded leaves the previous package byte for byte, and no temporary.
func TestGenFailureMidwayKeepsOldFiles(t *testing.T) {
	dir := t.TempDir()
	spec := copySpec(t, dir, "r1_housing.nn")
	mustGen(t, "-mode", "infer", spec)
	before := snapshot(t, dir)
	writes := 0
	testHookAfterTemp = func(name string) error {
		if writes++; writes == 2 {
			return errors.New("injected failure writing " + name)
		}
		return nil
	}
	defer func() { testHookAfterTemp = nil }()
	var out, errb bytes.Buffer
	if code := run([]string{"gen", spec}, &out, &errb); code != exitFail || !strings.Contains(errb.String(), "injected failure") {
		t.Fatalf("exit %d, stderr %q; want the injected failure", code, errb.String())
	}
	checkUnchanged(t, dir, before)
	testHookAfterTemp = nil
	mustGen(t, spec) // and the next run still works
}

// TestGenKeepsUnchangedFiles: a second identical run rewrites nothing.
func TestGenKeepsUnchangedFiles(t *testing.T) {
	dir := t.TempDir()
	spec := copySpec(t, dir, "r1_housing.nn")
	mustGen(t, spec)
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	os.Chtimes(filepath.Join(dir, "housing.go"), old, old)
	before := snapshot(t, dir)
	mustGen(t, spec)
	checkUnchanged(t, dir, before)
}
