// Command nngen turns a neural-network spec (.nn) into a fixed-shape,
// dependency-free Go package. See README.md and CONTRACT §2.
//
//	nngen gen    [-o DIR] [-pkg NAME] SPEC
//	nngen check  SPEC
//	nngen verify [-seed N] SPEC
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit statuses (CONTRACT §2).
const (
	exitOK    = 0 // done
	exitFail  = 1 // the spec or the verification failed
	exitUsage = 2 // wrong usage
)

const usage = `usage:
  nngen gen    [-o DIR] [-pkg NAME] [-unroll-max N] [-unroll N] SPEC
                                   write the Go package for SPEC (default DIR: beside SPEC)
  nngen check  SPEC                parse and shape-check; print the cost table
  nngen verify [-seed N] [-dtype float32|float64] SPEC
                                   generate, build and compare with the reference
`

// command runs one subcommand and returns its exit status.
type command func(args []string, stdout, stderr io.Writer) int

var commands = map[string]command{
	"check":  runCheck,
	"gen":    runGen,
	"verify": runVerify,
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "nngen: unknown command %q\n%s", args[0], usage)
		return exitUsage
	}
	return cmd(args[1:], stdout, stderr)
}
