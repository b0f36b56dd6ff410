//go:build amd64 && gc && !purego

package peak

// Supported reports whether the measuring loops exist on this build.
const Supported = true

//go:noescape
func fmaAVX2(iters int)

//go:noescape
func fmaAVX512(iters int)

//go:noescape
func addChain(iters int)

//go:noescape
func readSum(p *float32, n int, reps int)
