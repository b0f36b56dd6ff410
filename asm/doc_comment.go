package asm

import "fmt"

// stubDoc is an assembly function's doc comment: what it computes is its
// Generic twin's, whose doc comment shows the loop.
func stubDoc(name string, s isa) []string {
	switch s {
	case avx512:
		return []string{fmt.Sprintf("%s%s is %sGeneric with AVX-512 (F, VL) instructions.", name, s.name, name)}
	case avx512Rows:
		return []string{fmt.Sprintf("%s%s is %sGeneric with AVX-512 (F, VL) instructions, one row of b at a time", name, s.name, name),
			"(nngenRowsGEMV)."}
	}
	return []string{fmt.Sprintf("%s%s is %sGeneric with AVX2 and FMA instructions.", name, s.name, name)}
}
