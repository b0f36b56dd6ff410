package gen

import (
	"fmt"

	"github.com/nngen/nngen/ir"

	"github.com/nngen/nngen/spec"
	"github.com/nngen/nngen/templates"
)

// threadsFile is SetThreads and the goroutines that share a batch
// (templates/threads.go.tmpl): a fixed skeleton around the layer functions'
// row ranges (ranges.go).
func (e *emitter) threadsFile() ([]byte, error) {
	yArg := "y"
	if e.train() && e.m.Loss == spec.MSE { // the loss functions take the targets flat
		yArg = fmt.Sprintf("(*[%d]%s)(unsafe.Pointer(y))", e.m.Batch*e.m.Output.Size(), e.m.DType)
	}
	var add string
	if e.train() && e.m.Batch > 1 {
		add = e.useElem(ir.AddRow, ir.ReduceChunk).Name()
	}
	return templates.Render("threads.go.tmpl", struct {
		Units                       *unitsData // the unit split (ir.SplitUnits), or nil
		Package, T, OutputBuf, YArg string
		Train, SplitStep            bool
		StepFlops, MinSplitFlops    int64
		Chunk, UpdateChunk          int
		AddChunk                    string
		ParamsPad                   int // bytes that end Params on a cache line (layout.go)
	}{e.unitsData(), e.opts.Package, e.m.DType.String(), e.p.Output.Name, yArg, e.train(), e.p.Plan.SplitStep,
		ir.StepFlopsPerParam(e.m), ir.MinSplitStepFlops, ir.ReduceChunk, ir.UpdateChunk, add, padding(e.paramsBytes())})
}
