package ir

import "github.com/nngen/nngen/spec"

// MaxMatmuls bounds the distinct matrix products of a generated package.
// Each product shape is compiled into kernels of its own (straight-line Go,
// or assembly for two instruction sets with a generic Go twin), which is
// most of what nngen gen and the Go compiler spend on a model with many
// layers of different sizes; layers of one size share their kernels.
const MaxMatmuls = 128

// Check lowers a checked model as a training package (the larger) and
// refuses it when it passes a limit of the back end: for `nngen check`,
// which thereby refuses what `nngen gen` would.
func Check(m *spec.Model) error {
	p, err := Lower(m)
	if err != nil {
		return err
	}
	return limitMatmuls(p)
}

// limitMatmuls refuses a program with more than MaxMatmuls distinct
// products, at the layer of the first product past the limit (in the order
// of Program.Funcs), as a spec error.
func limitMatmuls(p *Program) error {
	seen := map[string]bool{}
	for _, f := range p.Funcs() {
		for _, b := range f.Blocks {
			for _, op := range b.Ops {
				if op.Kind != OpMatmul || seen[op.Matmul.Key()] {
					continue
				}
				seen[op.Matmul.Key()] = true
				if len(seen) > MaxMatmuls {
					var errs spec.ErrorList
					errs.Add(op.Layer.Pos, "%s: the model reaches %d distinct matrix products here, over the limit of %d",
						op.Layer.Kind, len(seen), MaxMatmuls)
					return errs
				}
			}
		}
	}
	return nil
}
