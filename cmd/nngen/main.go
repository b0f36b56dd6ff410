// Command nngen turns a neural-network spec (.nn) into a fixed-shape,
// dependency-free Go package. See README.md and docs/.
//
//	nngen gen    [-o DIR] [-pkg NAME] [-weights FILE] [-mode train|infer] SPEC
//	nngen check  SPEC
//	nngen verify [-seed N] SPEC
//	nngen ir     SPEC
//	nngen help [COMMAND], nngen version
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/nngen/nngen/spec"
)

// Exit statuses.
const (
	exitOK    = 0 // done
	exitFail  = 1 // the spec or the verification failed
	exitUsage = 2 // wrong usage
	// 128+signal (130, 143): gen or verify stopped by SIGINT or SIGTERM,
	// after removing its temporaries (signals.go)
)

const usage = `usage:
  nngen gen    [-o DIR] [-pkg NAME] [-weights FILE] [-mode train|infer] [-unroll-max N] [-unroll N] SPEC
                                   write the Go package for SPEC (default DIR: beside SPEC)
  nngen check  SPEC                parse and shape-check; print the cost table
  nngen verify [-seed N] [-dtype float32|float64] SPEC
                                   generate, build and compare with the reference
  nngen ir     [-mode train|infer] SPEC
                                   print the lowered program: buffers, ops, kernel choices
  nngen help [COMMAND]             this text, or a command's flags
  nngen version                    the version of nngen
`

// command runs one subcommand and returns its exit status.
type command func(args []string, stdout, stderr io.Writer) int

var commands = map[string]command{
	"check":  runCheck,
	"ir":     runIR,
	"gen":    runGen,
	"verify": runVerify,
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 {
			cmd, ok := commands[args[1]]
			if !ok {
				fmt.Fprintf(stderr, "nngen: help: unknown command %q\n%s", args[1], usage)
				return exitUsage
			}
			cmd([]string{"-h"}, stdout, stdout) // the flag package prints the usage
			return exitOK
		}
		fmt.Fprint(stdout, usage)
		return exitOK
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "nngen", version())
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "nngen: unknown command %q\n%s", args[0], usage)
		return exitUsage
	}
	return cmd(args[1:], stdout, stderr)
}

// version is the module version nngen was built from ("(devel)" from a
// checkout), with the VCS revision when the build recorded one.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}

// printError prints an error of command cmd ("nngen gen"): a spec error as
// printSpecError does, anything else after cmd's name.
func printError(w io.Writer, cmd string, err error) {
	var list spec.ErrorList
	if errors.As(err, &list) {
		fmt.Fprintln(w, err)
		return
	}
	fmt.Fprintf(w, "%s: %v\n", cmd, err)
}

// printSpecError prints a spec's errors as they are, file:line:col first
// in Go style, where editors and tools look for them; any other error
// (the spec file cannot be read) gets nngen's prefix.
func printSpecError(w io.Writer, err error) {
	var list spec.ErrorList
	if errors.As(err, &list) {
		fmt.Fprintln(w, err)
		return
	}
	fmt.Fprintln(w, "nngen:", err)
}
