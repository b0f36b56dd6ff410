//go:build unix

package main

import "syscall"

// openNoFollow makes reading an output path fail on a symlink and not wait
// for a writer on a FIFO.
const openNoFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK
