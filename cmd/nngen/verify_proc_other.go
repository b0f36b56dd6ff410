//go:build !unix

package main

import (
	"os/exec"
	"time"
)

// interruptGroup: elsewhere cancelling kills the go command alone.
func interruptGroup(cmd *exec.Cmd) { cmd.WaitDelay = 5 * time.Second }
