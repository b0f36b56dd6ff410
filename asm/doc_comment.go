package asm

import "fmt"

// stubDoc is an assembly function's doc comment: what it computes is its
// Generic twin's, whose doc comment shows the loop.
func stubDoc(name string, s isa) []string {
	req := "AVX2 and FMA"
	if s == avx512 {
		req = "AVX-512F"
	}
	return []string{fmt.Sprintf("%s%s is %sGeneric with %s instructions.", name, s.name, name, req)}
}
