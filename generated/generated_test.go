package generated

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/nngen/nngen/gen"
	"github.com/nngen/nngen/spec"
)

// generateLines are the files whose //go:generate lines make the checked-in
// packages; the test reads them, so it regenerates exactly what they say.
var generateLines = []string{"doc.go", "../examples/digits/gen.go", "../examples/pytorch/gen.go",
	"../examples/mnist/gen.go", "../examples/mnist/classify/gen.go", "../examples/regression/gen.go"}

// target is one `nngen gen` invocation: the package directory (relative to
// this folder), the spec, and the options.
type target struct {
	dir, spec string
	opts      gen.Options
	base      string   // the directory of the go:generate line
	args      []string // the arguments after "gen", as written
}

// targets parses every `//go:generate go run …/cmd/nngen gen [flags] SPEC`
// line, resolving paths against the file's own directory.
func targets(t *testing.T) []target {
	var ts []target
	for _, file := range generateLines {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Fields(line)
			if len(f) < 5 || f[0] != "//go:generate" || !strings.HasSuffix(f[3], "cmd/nngen") || f[4] != "gen" {
				continue
			}
			fs := flag.NewFlagSet("gen", flag.ContinueOnError)
			dir := fs.String("o", ".", "")
			var tg target
			fs.StringVar(&tg.opts.Package, "pkg", "", "")
			fs.IntVar(&tg.opts.UnrollMax, "unroll-max", 0, "")
			fs.IntVar(&tg.opts.Unroll, "unroll", 0, "")
			fs.StringVar(&tg.opts.Mode, "mode", "", "")
			weights := fs.String("weights", "", "")
			if err := fs.Parse(f[5:]); err != nil || fs.NArg() != 1 {
				t.Fatalf("%s: cannot read %q", file, line)
			}
			base := filepath.Dir(file)
			if *weights != "" {
				if tg.opts.Weights, err = os.ReadFile(filepath.Join(base, *weights)); err != nil {
					t.Fatal(err)
				}
			}
			tg.dir, tg.spec = filepath.Join(base, *dir), filepath.Join(base, fs.Arg(0))
			tg.base, tg.args = base, f[5:]
			ts = append(ts, tg)
		}
	}
	if len(ts) < 6 {
		t.Fatalf("found %d go:generate lines, want R1–R5 and the example", len(ts))
	}
	return ts
}

var generatedHeader = regexp.MustCompile(`^// Code generated .* DO NOT EDIT\.$`)

// TestGeneratedFilesUpToDate regenerates every package in memory and fails
// on any difference from the checked-in files, and on generated files that
// nngen would no longer produce (in the style of the Go compiler's test of
// the same name).
func TestGeneratedFilesUpToDate(t *testing.T) {
	for _, tg := range targets(t) {
		dir := tg.dir
		m, err := spec.Load(tg.spec)
		if err != nil {
			t.Fatal(err)
		}
		want, err := gen.Generate(m, tg.opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range sortedKeys(want) {
			got, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil || !bytes.Equal(got, want[name]) {
				t.Errorf("%s/%s is stale: run go generate ./generated", dir, name)
			}
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if _, ok := want[e.Name()]; !ok && isGenerated(filepath.Join(dir, e.Name())) {
				t.Errorf("%s/%s is generated but no longer produced: delete it", dir, e.Name())
			}
		}
	}
}

// TestGeneratedFilesPortable runs every go:generate line with the nngen
// binary $NNGEN_BIN (built for another GOARCH or with other tags; run through
// the emulator $NNGEN_EXEC, e.g. qemu-aarch64, if set) into a temporary
// directory and fails on any difference from the checked-in files: the same
// spec must give the same files from nngen built for any platform, test
// vectors included. .ci/run runs it for several; without NNGEN_BIN it skips.
func TestGeneratedFilesPortable(t *testing.T) {
	bin := os.Getenv("NNGEN_BIN")
	if bin == "" {
		t.Skip("NNGEN_BIN is not set")
	}
	bin, err := filepath.Abs(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range targets(t) {
		out := t.TempDir()
		args := append([]string(nil), tg.args...)
		for i := range args {
			if args[i] == "-o" && i+1 < len(args) {
				args[i+1] = out
			}
		}
		argv := append(strings.Fields(os.Getenv("NNGEN_EXEC")), bin, "gen")
		argv = append(argv, args...)
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir = tg.base
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, msg)
		}
		entries, err := os.ReadDir(out)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) == 0 {
			t.Fatalf("%s wrote nothing", strings.Join(argv, " "))
		}
		for _, e := range entries {
			got, err := os.ReadFile(filepath.Join(out, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(tg.dir, e.Name()))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s/%s differs when %s generates it", tg.dir, e.Name(), strings.Join(argv[:len(argv)-len(args)], " "))
			}
		}
	}
}

func isGenerated(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	return generatedHeader.Match(first)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
