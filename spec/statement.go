package spec

import (
	"fmt"
	"strconv"
	"strings"
)

// Statement is the layer as a spec statement with every option spelled out
// (defaults included, name= when given): "dense 128", "conv2d 8 kernel=3
// pad=same stride=1". Generated code and the printed IR echo it, as the Go
// compiler's rule generator echoes its rules, so that a diff shows what
// changed in the spec rather than which lines moved.
func (l *Layer) Statement() string {
	var s []string
	switch l.Kind {
	case Dense:
		s = append(s, strconv.Itoa(l.Units))
		if !l.Bias {
			s = append(s, "bias=false")
		}
	case Conv1D, Conv2D:
		pad := optionChoices["pad"].words[l.Pad]
		s = append(s, strconv.Itoa(l.Units), "kernel="+strconv.Itoa(l.Kernel), "pad="+pad, "stride="+strconv.Itoa(l.Stride))
		if !l.Bias {
			s = append(s, "bias=false")
		}
	case MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D:
		s = append(s, "kernel="+strconv.Itoa(l.Kernel), "stride="+strconv.Itoa(l.Stride))
	case LeakyReLU:
		s = append(s, "gamma="+num(l.Alpha))
	case Softplus:
		s = append(s, "beta="+num(l.Beta))
	case LayerNorm:
		s = append(s, "affine="+optionChoices["affine"].words[l.Affine], "eps="+num(l.Eps))
	case Residual:
		s = append(s, "{ … }")
	}
	if ord := strings.TrimPrefix(l.ID, l.Kind.String()); ord == l.ID || strings.Trim(ord, "0123456789") != "" || ord == "" {
		s = append(s, "name="+l.ID) // not kind + ordinal: given by name=
	}
	return strings.TrimSpace(l.Kind.String() + " " + strings.Join(s, " "))
}

// Statement is the optimizer statement with every option spelled out.
func (o Optimizer) Statement() string {
	if o.Kind == SGD {
		return fmt.Sprintf("optimizer sgd lr=%s momentum=%s weight_decay=%s nesterov=%t",
			num(o.LR), num(o.Momentum), num(o.WeightDecay), o.Nesterov)
	}
	return fmt.Sprintf("optimizer %s lr=%s beta1=%s beta2=%s eps=%s weight_decay=%s",
		o.Kind, num(o.LR), num(o.Beta1), num(o.Beta2), num(o.Eps), num(o.WeightDecay))
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
