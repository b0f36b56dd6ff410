//go:build purego

package main

// implLabel marks the generated package's pure-Go fallback: under the
// purego tag it runs without assembly.
func implLabel(impl string) string {
	if impl == "nngen" {
		return "nngen-purego"
	}
	return impl
}
