package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
)

// gen and verify leave things behind when killed (temporaries beside the
// output, a temporary module), so they catch SIGINT and SIGTERM, clean up
// and exit with 128+signal, the status a shell shows for a process the
// signal killed: 130 for SIGINT, 143 for SIGTERM.

// testHookSignalsCaught, if set, runs once the signals are caught: the
// signal tests wait for it, not for a guessed time, before they signal.
var testHookSignalsCaught func()

// signalError is the cause of a context that a signal cancelled.
type signalError struct{ sig os.Signal }

func (e signalError) Error() string { return "stopped by signal: " + e.sig.String() }

// onSignals returns a context cancelled, with a signalError as its cause,
// by the first SIGINT or SIGTERM, and the function that stops listening.
// After the first signal the default action is back, so that a second one
// kills at once if the cleanup hangs.
func onSignals() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	if testHookSignalsCaught != nil {
		testHookSignalsCaught()
	}
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			cancel(signalError{s})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// exitStatus is 128+signal when err comes from a signal, else exitFail.
func exitStatus(err error) int {
	var se signalError
	if errors.As(err, &se) {
		if s, ok := se.sig.(syscall.Signal); ok {
			return 128 + int(s)
		}
	}
	return exitFail
}
