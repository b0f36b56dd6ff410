package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nngen/nngen/spec"
)

// Run is everything one benchmark run measured.
type Run struct {
	Machine  Machine
	OneTime  *OneTime          // nil if not measured
	Meta     map[string]string // run.sh's notes: date, pinning, repetitions
	Networks []*Network        // in spec file order: r1 … r5
	Impls    map[string]bool   // implementations that produced results
}

// Network is one spec with the documents measured on it.
type Network struct {
	Name  string // r2_mnist
	Model *spec.Model
	Cost  spec.Cost       // per example
	Docs  map[string]*Doc // by implementation
}

// Load reads raw (the JSON files of one run) and the specs they name from
// specDir.
func Load(raw, specDir string) (*Run, error) {
	r := &Run{Meta: map[string]string{}, Impls: map[string]bool{}}
	if err := readJSON(filepath.Join(raw, "machine.json"), &r.Machine); err != nil {
		return nil, err
	}
	var ot OneTime
	if readJSON(filepath.Join(raw, "onetime.json"), &ot) == nil {
		r.OneTime = &ot
	}
	_ = readJSON(filepath.Join(raw, "meta.json"), &r.Meta) // optional
	files, err := filepath.Glob(filepath.Join(raw, "*__*.json"))
	if err != nil {
		return nil, err
	}
	nets := map[string]*Network{}
	for _, f := range files {
		if err := r.add(f, specDir, nets); err != nil {
			return nil, err
		}
	}
	for _, n := range nets {
		r.Networks = append(r.Networks, n)
	}
	sort.Slice(r.Networks, func(i, j int) bool { return r.Networks[i].Name < r.Networks[j].Name })
	return r, nil
}

// add reads one implementation's document.
func (r *Run) add(file, specDir string, nets map[string]*Network) error {
	var d Doc
	if err := readJSON(file, &d); err != nil {
		return err
	}
	n := nets[d.Network]
	if n == nil {
		m, err := spec.Load(filepath.Join(specDir, d.Network+".nn"))
		if err != nil {
			return err
		}
		n = &Network{Name: d.Network, Model: m, Cost: m.Total(), Docs: map[string]*Doc{}}
		nets[d.Network] = n
	}
	n.Docs[d.Impl] = &d
	if len(d.Results) > 0 {
		r.Impls[d.Impl] = true
	}
	return nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}

// Title is "R2 mnist" for r2_mnist.
func (n *Network) Title() string {
	id, _, _ := strings.Cut(n.Name, "_")
	return strings.ToUpper(id) + " " + n.Model.Name
}
