package asm

import "text/template"

// amd64Template is the amd64 Go file: assembly stubs, feature detection and
// one dispatcher per kernel.
var amd64Template = template.Must(template.New("amd64").Parse(`{{.Header}}

//go:build gc && !purego

package {{.Pkg}}

import (
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Matrix-product paths, weakest first; nngenPath holds the one in use.
const (
	nngenGeneric = iota
	nngenAVX2
	nngenAVX512
)

var nngenPathNames = [...]string{"generic", "avx2", "avx512"}

// nngenPath is chosen at init: the fastest path the CPU and OS support (nngenBest), unless
// the environment variable NNGEN_KERNELS names another supported one. It is
// atomic so that SetKernels may run at any time: each kernel call reads it
// once, so a pass running meanwhile may mix paths, each correct.
var nngenPath atomic.Int32

func init() { nngenPath.Store(int32(nngenInitPath())) }

func nngenInitPath() int {
	best := nngenBest()
	env := os.Getenv("NNGEN_KERNELS")
	if env == "" || env == "auto" {
		return best
	}
	p := nngenParsePath(env)
	if p < 0 || !nngenSupported(p) {
		os.Stderr.WriteString("nngen: ignoring NNGEN_KERNELS=" + env + ": want a supported one of generic, avx2, avx512\n")
		return best
	}
	return p
}

func nngenParsePath(name string) int {
	for p, n := range nngenPathNames {
		if n == name {
			return p
		}
	}
	return -1
}

// SetKernels selects the matrix-product path: "avx512", "avx2", "generic",
// or "auto" for the fastest one on this machine (nngenBest). It is safe to call at
// any time; a pass running meanwhile may use both paths, kernel by kernel,
// each giving results within floating-point tolerance of the other.
func SetKernels(path string) error {
	if path == "auto" {
		nngenPath.Store(int32(nngenBest()))
		return nil
	}
	p := nngenParsePath(path)
	if p < 0 {
		return &nngenKernelsError{path, "unknown path; want avx512, avx2, generic or auto"}
	}
	if !nngenSupported(p) {
		return &nngenKernelsError{path, "not supported by this cpu or os"}
	}
	nngenPath.Store(int32(p))
	return nil
}

// Kernels returns the matrix-product path in use: "avx512", "avx2" or "generic".
func Kernels() string { return nngenPathNames[nngenPath.Load()] }

type nngenKernelsError struct{ path, why string }

func (e *nngenKernelsError) Error() string { return "kernels \"" + e.path + "\": " + e.why }

// nngenBest is auto's path: AVX-512 where the CPU and OS support it and its
// FMAs run at about twice the AVX2 rate (nngenWide, measured once), else
// AVX2 where supported, else generic.
func nngenBest() int {
	switch {
	case nngenSupported(nngenAVX512) && nngenWide():
		return nngenAVX512
	case nngenSupported(nngenAVX2):
		return nngenAVX2
	}
	return nngenGeneric
}

// nngenRowsGEMV chooses, on the AVX-512 path, how a matrix-vector product
// streamed from L2 (R2's batch-1 first layer) runs: one row of the matrix
// at a time (NAMEAVX512Rows) on AMD cores, where it measured 1.3× faster
// than dot tiles on Zen 5; tiles sharing each vector of x across rows
// elsewhere, 1.28× faster on an Intel Xeon (model 207). Set at init from
// the CPU's vendor; the tests flip it to run both forms.
var nngenRowsGEMV = nngenVendor() == "AuthenticAMD"

// nngenVendor is the CPU's vendor string, "GenuineIntel", "AuthenticAMD"…
func nngenVendor() string {
	_, ebx, ecx, edx := nngenCPUID(0, 0)
	var v [12]byte
	for i := range 4 {
		v[i], v[4+i], v[8+i] = byte(ebx>>(8*i)), byte(edx>>(8*i)), byte(ecx>>(8*i))
	}
	return string(v[:])
}

// nngenWide reports whether 512-bit FMAs retire at least 1.5 times the
// flops of 256-bit ones: about 2 on cores with two 512-bit FMA pipes (Zen 5,
// most Intel server cores), about 1 on cores that split them into halves
// (Zen 4), where AVX-512 gains nothing and loses on the lanes it wastes.
// The probes are register-only FMA loops of a few microseconds, timed in
// alternation; the fastest of each counts (other work on the core only ever
// slows a run down). Wide units reach their rate only after a while: on an
// Intel Xeon (model 207) the ratio of single pairs sat at 1.2–1.45 for the
// first 10–30 pairs before reaching 2, and the 7 pairs measured before
// chose AVX2 in about one process in ten. So it takes at least 7 pairs and
// up to 64 (≈ 0.5 ms on a core that splits 512-bit FMAs, where it runs
// them all), until the ratio is reached. Measured on the first call
// (init), then remembered.
var nngenWide = sync.OnceValue(func() bool {
	const n = 1 << 11
	nngenFMARateAVX512(8 * n)
	best256, best512 := time.Duration(1<<62), time.Duration(1<<62)
	for i := range 64 {
		t := time.Now()
		nngenFMARateAVX2(n)
		best256 = min(best256, time.Since(t))
		t = time.Now()
		nngenFMARateAVX512(n)
		best512 = min(best512, time.Since(t))
		// Equal FMA counts, twice the flops each at 512 bits: the rate
		// ratio is 2·best256/best512, and it must reach 1.5.
		if i >= 6 && 4*best256 >= 3*best512 {
			return true
		}
	}
	return false
})

// nngenSupported reports whether the CPU has the path's instructions and the
// OS saves the registers they use (XCR0: SSE+AVX state; AVX-512 also opmask
// and both ZMM halves).
func nngenSupported(p int) bool {
	if p == nngenGeneric {
		return true
	}
	maxLeaf, _, _, _ := nngenCPUID(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := nngenCPUID(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	xcr0, _ := nngenXGETBV()
	_, ebx7, _, _ := nngenCPUID(7, 0)
	const avx2, avx512f, avx512vl = 1 << 5, 1 << 16, 1 << 31
	ymm := xcr0&0x6 == 0x6 && ebx7&avx2 != 0
	if p == nngenAVX2 {
		return ymm
	}
	// VL: the layer-norm kernels' 128- and 256-bit steps on registers 16–31.
	return ymm && xcr0&0xe0 == 0xe0 && ebx7&(avx512f|avx512vl) == avx512f|avx512vl
}
{{range .Kernels}}
{{if .Asm}}// {{.Name}} runs {{.Name}}Generic's computation on the path in use.
func {{.Name}}{{.Params}} {
{{- if .Batched}}
	if lo >= hi { // the assembly runs at least one row
		{{.Name}}Generic({{.Args}})
		return
	}
{{- end}}
{{- if .RowsCheck}}
{{.RowsCheck}}
{{- end}}
	switch nngenPath.Load() {
{{- if .Rows}}
	case nngenAVX512:
		if nngenRowsGEMV {
			{{.Name}}AVX512Rows({{.Args}})
		} else {
			{{.Name}}AVX512({{.Args}})
		}
{{- else}}
	case nngenAVX512:
		{{.Name}}AVX512({{.Args}})
{{- end}}
{{- if not .NoAVX2}}
	case nngenAVX2:
		{{.Name}}AVX2({{.Args}})
{{- end}}
	default:
		{{.Name}}Generic({{.Args}})
	}
}
{{else}}// {{.Name}} has no assembly kernel: it runs {{.Name}}Generic.
func {{.Name}}{{.Params}} { {{.Name}}Generic({{.Args}}) }
{{end}}{{end}}
{{range .Stubs}}
{{.}}
{{end}}`))

// noasmTemplate is the fallback for other architectures and the purego tag.
var noasmTemplate = template.Must(template.New("noasm").Parse(`{{.Header}}

//go:build !amd64 || !gc || purego

package {{.Pkg}}

// SetKernels selects the matrix-product path; without assembly only
// "generic" (or "auto") is available.
func SetKernels(path string) error {
	if path != "generic" && path != "auto" {
		return &nngenKernelsError{path, "not supported without assembly; want generic or auto"}
	}
	return nil
}

// Kernels returns the matrix-product path in use: always "generic" here.
func Kernels() string { return "generic" }

// nngenRowsGEMV chooses between two AVX-512 forms, which need assembly;
// the tests flip it.
var nngenRowsGEMV bool

type nngenKernelsError struct{ path, why string }

func (e *nngenKernelsError) Error() string { return "kernels \"" + e.path + "\": " + e.why }
{{range .Kernels}}
// {{.Name}} runs {{.Name}}Generic.
{{- if .RowsCheck}}
func {{.Name}}{{.Params}} {
{{.RowsCheck}}
	{{.Name}}Generic({{.Args}})
}
{{- else}}
func {{.Name}}{{.Params}} { {{.Name}}Generic({{.Args}}) }
{{- end}}
{{end}}`))
