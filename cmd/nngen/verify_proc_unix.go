//go:build unix

package main

import (
	"os/exec"
	"syscall"
	"time"
)

// interruptGroup runs cmd in its own process group and makes cancelling
// it send SIGINT to the whole group: go test's test binary too, not only
// the go command, which on SIGINT waits for it and cleans up. The go
// command is killed if it still runs WaitDelay later.
func interruptGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT) }
	cmd.WaitDelay = 5 * time.Second
}
