package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/nngen/nngen/gen"
)

// gen replaces its files all together or not at all: each changed file is
// written to a temporary beside it (.NAME.nngen-tmp-RANDOM: a dot file,
// which the go tool ignores), synced, and only once every one is written
// are they renamed over their names. A failure or a signal before the
// renames removes the temporaries and leaves the directory as it was.
// Stale files go only after every rename succeeded.

// tempInfix marks gen's temporaries.
const tempInfix = ".nngen-tmp-"

// testHookAfterTemp, if set, runs after each temporary is written: tests
// use it to fail or to slow down a write midway.
var testHookAfterTemp func(name string) error

// change is one file to (re)write.
type change struct {
	name string
	data []byte
	perm fs.FileMode // 0: a new file, created 0644 less the umask
}

// writeGenerated writes files into dir, refusing to replace anything but
// files nngen generated, then removes the model's stale generated files.
// Unchanged files keep their bytes and times.
func writeGenerated(ctx context.Context, dir, model string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	changes, err := planChanges(dir, files)
	if err != nil {
		return err
	}
	temps, err := writeTemps(ctx, dir, changes)
	if err != nil {
		removeTemps(temps)
		return err
	}
	if err := renameTemps(temps); err != nil {
		return err
	}
	syncDir(dir)
	return removeStale(dir, model, files)
}

// planChanges checks every output path before anything is written and
// returns the files whose bytes differ from what is there.
func planChanges(dir string, files map[string][]byte) ([]change, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	var changes []change
	for _, name := range names {
		old, err := inspect(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		switch {
		case old == nil:
			changes = append(changes, change{name: name, data: files[name]})
		case !bytes.Equal(old.data, files[name]):
			changes = append(changes, change{name: name, data: files[name], perm: old.perm})
		}
	}
	return changes, nil
}

// temp is a written temporary and the path it will replace.
type temp struct{ tmp, path string }

// writeTemps writes each change to a temporary, stopping at the first
// error or when ctx is cancelled. It returns the temporaries made so far.
func writeTemps(ctx context.Context, dir string, changes []change) ([]temp, error) {
	var temps []temp
	for _, c := range changes {
		if ctx.Err() != nil {
			return temps, context.Cause(ctx)
		}
		tmp, err := writeTemp(dir, c)
		if tmp != "" {
			temps = append(temps, temp{tmp, filepath.Join(dir, c.name)})
		}
		if err == nil && testHookAfterTemp != nil {
			err = testHookAfterTemp(c.name)
		}
		if err != nil {
			return temps, err
		}
	}
	return temps, context.Cause(ctx)
}

// writeTemp writes c to a new file beside its name and syncs it, so that
// after the rename the name holds either the old bytes or all the new
// ones. It returns the temporary's path whenever it created one.
func writeTemp(dir string, c change) (string, error) {
	f, err := createTemp(dir, c.name)
	if err != nil {
		return "", err
	}
	_, err = f.Write(c.data)
	if err == nil && c.perm != 0 {
		err = f.Chmod(c.perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return f.Name(), fmt.Errorf("writing %s: %w", filepath.Join(dir, c.name), err)
	}
	return f.Name(), nil
}

// createTemp creates .NAME.nngen-tmp-RANDOM in dir, never opening an
// existing file (O_EXCL).
func createTemp(dir, name string) (*os.File, error) {
	for {
		path := filepath.Join(dir, "."+name+tempInfix+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
}

func removeTemps(temps []temp) {
	for _, t := range temps {
		os.Remove(t.tmp)
	}
}

// renameTemps moves every temporary over its name. Renames within one
// directory fail only in odd cases (a path turned into a directory since
// the check); the error then says how many files were already replaced.
func renameTemps(temps []temp) error {
	for i, t := range temps {
		if err := os.Rename(t.tmp, t.path); err != nil {
			removeTemps(temps[i:])
			return fmt.Errorf("%w (%d of %d changed files were already replaced)", err, i, len(temps))
		}
	}
	return nil
}

// syncDir makes the renames durable. Its error is ignored: the files are
// in place, and some file systems cannot sync a directory.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// removeStale deletes the regular files of model in dir that carry the
// generated header but were not produced this time (a kernel or file that
// went away).
func removeStale(dir, model string, files map[string][]byte) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if _, ok := files[name]; ok || !e.Type().IsRegular() || !belongsTo(model, name) {
			continue
		}
		path := filepath.Join(dir, name)
		if old, err := inspect(path); err != nil || old == nil {
			continue
		}
		if err := os.Remove(path); err != nil {
			return err
		}
	}
	return nil
}

// belongsTo reports whether name is one of the file names nngen gives
// model's files.
func belongsTo(model, name string) bool {
	for _, s := range gen.FileSuffixes {
		if name == model+s {
			return true
		}
	}
	return false
}
