package asm

// Hooks for the external tests (package asm_test), which generate
// internal/kerneltest with package gen's Generic twins: gen imports asm, so
// only an external test can import gen.
var (
	TestKernels           = testKernels
	TestUpdates           = testUpdates
	TestElems             = testElems
	RepresentativeKernels = representativeKernels
	RepresentativeUpdates = representativeUpdates
	RepresentativeElems   = representativeElems
	PeakSources           = peakSources
	FormatGo              = formatGo
	IsRelu                = isRelu
)
