package peak

import (
	"bufio"
	"os"
	"strings"
)

// CPU is what /proc/cpuinfo says about the first processor.
type CPU struct {
	Model string   // "model name"
	Flags []string // the feature flags this package cares about
}

// interesting are the flags that decide which loops can run and that the
// report prints.
var interesting = []string{"avx", "avx2", "fma", "avx512f"}

// ReadCPU parses /proc/cpuinfo; on systems without it Model is "unknown".
func ReadCPU() CPU {
	c := CPU{Model: "unknown"}
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return c
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(key) {
		case "model name":
			c.Model = strings.TrimSpace(val)
		case "flags":
			c.Flags = pick(strings.Fields(val))
			return c // the first processor is enough
		}
	}
	return c
}

func pick(all []string) []string {
	var out []string
	for _, want := range interesting {
		for _, f := range all {
			if f == want {
				out = append(out, f)
			}
		}
	}
	return out
}

// Has reports whether the CPU lists flag.
func (c CPU) Has(flag string) bool {
	for _, f := range c.Flags {
		if f == flag {
			return true
		}
	}
	return false
}
