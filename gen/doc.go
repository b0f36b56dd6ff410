// Package gen emits the fixed-shape, dependency-free Go package of a model
// (the API the README describes) from its lowered ir.Program, with jennifer.
//
// The emitter makes no decisions the IR has not made, except how to spell
// loops: a loop nest of at most UnrollMax iterations becomes straight-line
// code; a bigger one keeps constant trip counts and has its innermost loop
// unrolled Unroll times, plus a remainder. A convolution's im2col is
// straight-line per kernel offset when that takes at most maxIm2colStmts
// statements, else loops over the offsets, so that no layer's code grows
// with its kernel.
//
// Output is deterministic: no map is walked unsorted, nothing depends on the
// machine, and every file is gofmt'ed (and so parsed) before it is returned.
package gen
