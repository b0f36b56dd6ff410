package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/nngen/nngen/gen"
	"github.com/nngen/nngen/spec"
)

// runGen is `nngen gen [-o DIR] [-pkg NAME] [-unroll-max N] [-unroll N] SPEC`.
func runGen(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("gen", flag.ContinueOnError)
	fl.SetOutput(stderr)
	dir := fl.String("o", "", "directory to write the package into (default: beside SPEC)")
	pkg := fl.String("pkg", "", "package name (default: the model name)")
	unrollMax := fl.Int("unroll-max", gen.DefaultUnrollMax, fmt.Sprintf("loop nests of at most `N` iterations become straight-line code (N ≤ %d)", gen.MaxUnrollMax))
	unroll := fl.Int("unroll", gen.DefaultUnroll, fmt.Sprintf("unroll factor `N` of the innermost loop of bigger nests (N ≤ %d)", gen.MaxUnroll))
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
	if code := checkUnroll(stderr, "gen", *unrollMax, *unroll); code != exitOK {
		return code
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
	ctx, stop := onSignals()
	defer stop()
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
	files, err := generate(ctx, m, opts)
	if err != nil {
		var werr *gen.WeightsError
		if errors.As(err, &werr) {
			fmt.Fprintf(stderr, "nngen gen: -weights %s: %v\n", *weightsFile, werr.Err)
			return exitFail
		}
		printError(stderr, "nngen gen", err)
		return exitStatus(err)
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
	if err := writeGenerated(ctx, *dir, m.Name, files); err != nil {
		fmt.Fprintf(stderr, "nngen gen: %v\n", err)
		return exitStatus(err)
	}
	return exitOK
}

// checkUnroll refuses -unroll-max and -unroll values over their limits:
// the straight-line code, and what the Go compiler needs, grows with them.
func checkUnroll(stderr io.Writer, cmd string, unrollMax, unroll int) int {
	if unrollMax > gen.MaxUnrollMax {
		fmt.Fprintf(stderr, "nngen %s: -unroll-max %d is over the limit of %d\n", cmd, unrollMax, gen.MaxUnrollMax)
		return exitUsage
	}
	if unroll > gen.MaxUnroll {
		fmt.Fprintf(stderr, "nngen %s: -unroll %d is over the limit of %d\n", cmd, unroll, gen.MaxUnroll)
		return exitUsage
	}
	return exitOK
}

// generate is gen.Generate, abandoned when ctx is cancelled: nothing is
// written yet then, so there is nothing to clean up.
func generate(ctx context.Context, m *spec.Model, opts gen.Options) (map[string][]byte, error) {
	type result struct {
		files map[string][]byte
		err   error
	}
	done := make(chan result, 1)
	go func() {
		files, err := gen.Generate(m, opts)
		done <- result{files, err}
	}()
	select {
	case r := <-done:
		return r.files, r.err
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
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
