package gen

import (
	"fmt"
	"strings"

	"github.com/nngen/nngen/spec"
	"github.com/nngen/nngen/templates"
	"github.com/nngen/nngen/weights"
)

// weightsData fills templates/weights.go.tmpl: the table of tensors that
// connects Params to the codec (weights/codec.go, copied as NAME_codec.go).
type weightsData struct {
	Package, Model, T, DType string
	LayoutV1                 string
	Tensors                  []tensorRow
	Train                    bool
	OptimizerMeta            string     // checkpoints of another optimizer are refused
	State                    []stateRow // optimizer state, Params-shaped
	Embed                    string     // file name of the embedded trained weights, or ""
	Steps                    bool       // the optimizer counts its steps (Adam\'s t), saved in checkpoints
}

type tensorRow struct {
	Name, Field, Expr string
	Shape             []int
}

type stateRow struct{ Field, Prefix string }

// weightsFile renders NAME_weights.go.
func (e *emitter) weightsFile(embed string) ([]byte, error) {
	d := weightsData{Package: e.opts.Package, Model: e.m.Name, T: e.m.DType.String(), DType: "F32",
		LayoutV1: fmt.Sprintf("%#016x", weights.LayoutV1(e.m)), Train: e.train(), Embed: embed}
	if e.is64() {
		d.DType = "F64"
	}
	for _, p := range e.m.Params {
		d.Tensors = append(d.Tensors, tensorRow{Name: weights.Name(p), Field: p.Name, Expr: tensorExpr(p), Shape: p.Shape})
	}
	if e.train() {
		// The learning rate is in the checkpoint; the rest of the statement must match.
		stmt := strings.Fields(e.m.Optimizer.Statement())
		d.OptimizerMeta = strings.Join(append(stmt[:2:2], stmt[3:]...), " ")
		d.State = e.stateFields()
		d.Steps = e.m.Optimizer.Kind != spec.SGD
	}
	return templates.Render("weights.go.tmpl", d)
}

// tensorExpr is parameter p of *Params p as a flat []T.
func tensorExpr(p *spec.Param) string {
	switch len(p.Shape) {
	case 0:
		return fmt.Sprintf("unsafe.Slice(&p.%s, 1)", p.Name)
	case 1:
		return fmt.Sprintf("p.%s[:]", p.Name)
	}
	return fmt.Sprintf("unsafe.Slice(&p.%s%s, %d)", p.Name, strings.Repeat("[0]", len(p.Shape)), p.Shape.Size())
}
