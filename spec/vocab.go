package spec

import "strings"

// The words of the language, in one place: the checker accepts exactly
// these, its error messages list them, and language_doc_test.go checks that
// docs/language.md documents every one (vocabulary).

// Statement keywords besides the layers (KindNames).
var (
	headerWords = []string{"model", "input", "batch", "dtype"}
	tailWords   = []string{"loss", "optimizer"}
)

// choices is an enumeration: its words, in the order of the values they
// stand for, and the label an error message lists them under.
type choices struct {
	label string
	words []string
}

var (
	dtypeChoices     = choices{"types", []string{Float32: "float32", Float64: "float64"}}
	lossChoices      = choices{"losses", lossNames[:]}
	optimizerChoices = choices{"optimizers", optimizerNames[:]}
	boolChoices      = choices{"values", []string{"true", "false"}}
)

// optimizerOpts are the options of each optimizer, as PyTorch names them.
var optimizerOpts = map[OptimizerKind][]string{
	SGD:   {"lr", "momentum", "weight_decay", "nesterov"},
	Adam:  {"lr", "beta1", "beta2", "eps", "weight_decay"},
	AdamW: {"lr", "beta1", "beta2", "eps", "weight_decay"},
}

// allOptimizerOpts is every option some optimizer takes.
func allOptimizerOpts() []string {
	var all []string
	for _, k := range []OptimizerKind{SGD, Adam, AdamW} {
		for _, o := range optimizerOpts[k] {
			if !contains(all, o) {
				all = append(all, o)
			}
		}
	}
	return all
}

// optionChoices holds the values of every layer option that is an
// enumeration or a boolean; enumOpt and boolOpt read them from here.
var optionChoices = map[string]choices{
	"pad":    {"pad", []string{PadSame: "same", PadValid: "valid"}},
	"affine": {"affine", []string{AffineScalar: "scalar", AffineVector: "vector"}},
	"bias":   boolChoices,
}

// wordSet is a group of words the language accepts.
type wordSet struct {
	stmt  string // the statement they belong to; "" for statement keywords
	what  string // what they are: "layer", "option", "value of pad", ...
	words []string
}

// vocabulary is every word the checker accepts, gathered from the tables it
// reads: statement keywords, layer kinds, each statement's options and the
// values of every enumerated option or argument.
func vocabulary() []wordSet {
	v := []wordSet{
		{"", "header statement", headerWords},
		{"", "layer", KindNames[:]},
		{"", "tail statement", tailWords},
		{"dtype", "type", dtypeChoices.words},
		{"loss", "loss", lossChoices.words},
		{"optimizer", "optimizer", optimizerChoices.words},
		{"optimizer", "option", allOptimizerOpts()},
	}
	for k, ls := range layerSpecs {
		kind := KindNames[k]
		if len(ls.opts) > 0 {
			v = append(v, wordSet{kind, "option", ls.opts})
		}
		for _, o := range ls.opts {
			if ch, ok := optionChoices[o]; ok {
				v = append(v, wordSet{kind, "value of " + o, ch.words})
			}
		}
	}
	return v
}

// orList joins words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// listed is "label: a, b, c", the list an error message ends with.
func listed(label string, words []string) string {
	return label + ": " + strings.Join(words, ", ")
}
