//go:build !amd64 || !gc || purego

package peak

// Supported reports whether the measuring loops exist on this build.
const Supported = false

func fmaAVX2(iters int)                   { panic("peak: no assembly on this build") }
func fmaAVX512(iters int)                 { panic("peak: no assembly on this build") }
func addChain(iters int)                  { panic("peak: no assembly on this build") }
func readSum(p *float32, n int, reps int) { panic("peak: no assembly on this build") }
