//go:build !purego

package main

func implLabel(impl string) string { return impl }
