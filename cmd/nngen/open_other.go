//go:build !unix

package main

// openNoFollow: elsewhere the Lstat check alone keeps symlinks out.
const openNoFollow = 0
