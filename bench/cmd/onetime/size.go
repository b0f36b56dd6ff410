package main

import (
	"os"
	"path/filepath"

	"github.com/nngen/nngen/bench/report"
)

// Two tiny programs that differ only in using the generated mnist (R2):
// the difference of their sizes is what embedding R2 costs a binary.
const (
	without = `package main

import (
	"os"
	"strconv"
)

func main() {
	v := float32(len(os.Args))
	os.Stdout.WriteString(strconv.FormatFloat(float64(v), 'g', -1, 32) + "\n")
}
`
	with = `package main

import (
	"os"
	"strconv"

	"benchtmp/mnist"
)

func main() {
	m := mnist.New()
	m.Init(1)
	var x [mnist.BatchSize]mnist.Input
	var y [mnist.BatchSize]mnist.Target
	var out mnist.Output
	m.Forward(&x[0], &out)
	v := m.Step(&x, &y) + out[0]
	os.Stdout.WriteString(strconv.FormatFloat(float64(v), 'g', -1, 32) + "\n")
}
`
)

// sizes fills the binary sizes, or a note saying why it could not.
func sizes(ot *report.OneTime, mod string) {
	if _, err := os.Stat(filepath.Join(mod, "mnist")); err != nil {
		ot.SizeNote = "binary size not measured: mnist was not generated"
		return
	}
	var err error
	if ot.SizeWithout, err = binarySize(mod, "without", without); err == nil {
		ot.SizeWith, err = binarySize(mod, "with", with)
	}
	if err != nil {
		ot.SizeNote = "binary size not measured: " + err.Error()
	}
}

func binarySize(mod, name, src string) (int64, error) {
	if err := writeFile(filepath.Join(mod, name, "main.go"), src); err != nil {
		return 0, err
	}
	bin := filepath.Join(mod, name+".bin")
	if _, err := timed(mod, "go", "build", "-trimpath", "-o", bin, "./"+name); err != nil {
		return 0, err
	}
	st, err := os.Stat(bin)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}
