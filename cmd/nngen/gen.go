package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nngen/nngen/gen"
	"github.com/nngen/nngen/spec"
	"github.com/nngen/nngen/weights"
)

// runGen is `nngen gen [-o DIR] [-pkg NAME] [-unroll-max N] [-unroll N] SPEC`.
func runGen(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("gen", flag.ContinueOnError)
	fl.SetOutput(stderr)
	dir := fl.String("o", "", "directory to write the package into (default: beside SPEC)")
	pkg := fl.String("pkg", "", "package name (default: the model name)")
	unrollMax := fl.Int("unroll-max", gen.DefaultUnrollMax, "loop nests of at most `N` iterations become straight-line code")
	unroll := fl.Int("unroll", gen.DefaultUnroll, "unroll factor `N` of the innermost loop of bigger nests")
	weightsFile := fl.String("weights", "", "embed the trained weights in `FILE` (nngen weights or safetensors) and emit Trained()")
	mode := fl.String("mode", gen.ModeTrain, "`train` (everything) or infer (parameters and the forward pass only)")
	fl.Usage = func() {
		fmt.Fprint(stderr, "usage: nngen gen [-o DIR] [-pkg NAME] [-weights FILE] [-mode train|infer] [-unroll-max N] [-unroll N] SPEC\n")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return exitUsage
	}
	if fl.NArg() != 1 || *unrollMax < 1 || *unroll < 1 {
		fl.Usage()
		return exitUsage
	}
	if *mode != gen.ModeTrain && *mode != gen.ModeInfer {
		fmt.Fprintf(stderr, "nngen gen: -mode %q: want train or infer\n", *mode)
		return exitUsage
	}
	if *pkg != "" {
		if err := spec.CheckPackageName(*pkg); err != nil {
			fmt.Fprintf(stderr, "nngen gen: -pkg: %v\n", err)
			return exitUsage
		}
	}
	m, err := spec.Load(fl.Arg(0))
	if err != nil {
		printSpecError(stderr, err)
		return exitFail
	}
	opts := gen.Options{Package: *pkg, UnrollMax: *unrollMax, Unroll: *unroll, Mode: *mode}
	if *weightsFile != "" {
		if opts.Weights, err = os.ReadFile(*weightsFile); err != nil {
			fmt.Fprintf(stderr, "nngen gen: -weights: %v\n", err)
			return exitFail
		}
	}
	files, err := gen.Generate(m, opts)
	if err != nil {
		var werr *gen.WeightsError
		if errors.As(err, &werr) {
			fmt.Fprintf(stderr, "nngen gen: -weights %s: %v\n", *weightsFile, werr.Err)
			return exitFail
		}
		fmt.Fprintf(stderr, "nngen gen: %v\n", err)
		return exitFail
	}
	if *dir == "" {
		*dir = filepath.Dir(fl.Arg(0))
	}
	name := *pkg
	if name == "" {
		name = m.Name
	}
	if err := checkPackageClash(*dir, name, files); err != nil {
		fmt.Fprintf(stderr, "nngen gen: %v\n", err)
		return exitFail
	}
	if err := writeGenerated(*dir, m.Name, files); err != nil {
		fmt.Fprintf(stderr, "nngen gen: %v\n", err)
		return exitFail
	}
	return exitOK
}

// writeGenerated writes files into dir, refusing to overwrite any file that
// nngen did not generate, then removes the model's stale generated files.
func writeGenerated(dir, model string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, name)
		ours, err := isGenerated(path)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err == nil && !ours {
			return fmt.Errorf("refusing to overwrite %s: it lacks the header %q", path, gen.Header)
		}
	}
	for _, name := range names {
		path := filepath.Join(dir, name)
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, files[name]) {
			continue // leave the file and its time alone
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	return removeStale(dir, model, files)
}

// removeStale deletes the files of model in dir that carry the generated
// header but were not produced this time (a kernel or file that went away).
func removeStale(dir, model string, files map[string][]byte) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if _, ok := files[name]; ok || e.IsDir() || !belongsTo(model, name) {
			continue
		}
		path := filepath.Join(dir, name)
		if g, err := isGenerated(path); err != nil || !g {
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

// isGenerated reports whether the file's first line is nngen's header (for
// an embedded safetensors file: whether its header carries nngen's marker).
func isGenerated(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	if strings.HasSuffix(path, ".safetensors") {
		head := make([]byte, 4096)
		n, err := io.ReadFull(f, head)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return false, err
		}
		return bytes.Contains(head[:n], []byte(`"`+weights.MarkerKey+`":"`+weights.MarkerValue+`"`)), nil
	}
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && err != io.EOF {
		return false, err
	}
	return strings.TrimRight(line, "\r\n") == gen.Header, nil
}

// checkPackageClash refuses to write package pkg into a directory whose
// other Go files belong to another package: the result would not build.
func checkPackageClash(dir, pkg string, files map[string][]byte) error {
	paths, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, path := range paths {
		if _, ours := files[filepath.Base(path)]; ours {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.PackageClauseOnly)
		if err != nil {
			continue // not Go we can read; the compiler will say more
		}
		if got := strings.TrimSuffix(f.Name.Name, "_test"); got != pkg {
			return fmt.Errorf("refusing to write package %s into %s: %s is package %s (use -o or -pkg)", pkg, dir, path, got)
		}
	}
	return nil
}
