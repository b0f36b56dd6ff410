//go:build linux

package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nngen/nngen/gen"
	"github.com/nngen/nngen/spec"
)

// What nngen promises for any spec its limits accept: generation within
// genCPU and genRSS, a build of the generated package within buildCPU and
// buildRSS, a test file within testFileBytes.
const (
	genCPU        = 30 * time.Second
	genRSS        = 2 << 30
	buildCPU      = 2 * time.Minute
	buildRSS      = 4 << 30
	testFileBytes = 4 << 20
)

// resourceSpecs are the largest specs at each limit: the families of
// TestLimitsEdge at their edge, and for each limit the specs that cost the
// most at it among those tried (the reference's time per FLOP is highest
// for pooling, per element for softplus; a convolution on a batch of 2
// has the most code per layer, and so does an activation on batch × size
// = -unroll-max elements; wide products the most assembly).
func resourceSpecs(t *testing.T) []resourceSpec {
	fam := map[string]limitFamily{}
	for _, f := range limitFamilies {
		fam[f.name] = f
	}
	atEdge := func(name string) string { f := fam[name]; return f.src(edge(t, f)) }
	largest := func(f func(int) string, lo, hi int) string {
		return f(edge(t, limitFamily{name: "largest", src: f, lo: lo, hi: hi}))
	}
	repeat := func(head, layer string, n int) string { return head + strings.Repeat(layer, n) + limitTail }
	return []resourceSpec{
		{"memory: workspace", atEdge("memory"), nil},
		{"memory: softplus", largest(func(n int) string {
			return repeat("model m\ninput 1048576\nbatch 4\n", "softplus\n", n)
		}, 1, 64), nil},
		{"memory: im2col", largest(func(h int) string {
			return fmt.Sprintf("model m\ninput 1x%dx%d\nconv2d 1 kernel=31\n%s", h, h, limitTail)
		}, 32, 1024), nil},
		{"memory: parameters", largest(func(n int) string {
			return fmt.Sprintf("model m\ninput 16384\nbatch 16\ndense %d\nrelu\ndense 10\nloss crossentropy\noptimizer adam lr=0.01\n", n)
		}, 1, 4096), nil},
		{"memory: batch outputs", "model m\ninput 1048576\nbatch 16\nrelu\n" + limitTail, nil},
		{"flops: dense", atEdge("flops"), nil},
		{"flops: maxpool", largest(func(n int) string {
			return repeat("model m\ninput 1x256x256\nbatch 16\n", "maxpool2d kernel=16 stride=1\n", n)
		}, 1, 15), nil},
		{"flops: conv", largest(func(n int) string {
			return repeat("model m\ninput 16x64x64\nbatch 8\n", "conv2d 16 kernel=3\n", n)
		}, 1, 64), nil},
		{"layers: conv", repeat("model m\ninput 4x8x8\nbatch 2\n", "conv2d 4 kernel=3\n", spec.MaxLayers), nil},
		{"matmuls: dense", largest(distinctDense(32, 257), 1, 128), nil},
		{"spec bytes", atEdge("spec bytes"), nil},
		{"unroll-max: tanh", repeat("model m\ninput 128\nbatch 2\n", "tanh\n", spec.MaxLayers),
			[]string{"-unroll-max", fmt.Sprint(gen.MaxUnrollMax), "-unroll", fmt.Sprint(gen.MaxUnroll)}},
	}
}

type resourceSpec struct {
	name  string
	src   string
	flags []string // of nngen gen
}

// cost is what one command took: wall and CPU time (user and system,
// children included) and peak resident memory (its largest process).
type cost struct {
	wall, cpu time.Duration
	rss       int64
}

func (u cost) String() string {
	return fmt.Sprintf("wall %5.1fs cpu %5.1fs rss %5d MiB", u.wall.Seconds(), u.cpu.Seconds(), u.rss>>20)
}

// measure runs cmd to its end.
func measure(cmd *exec.Cmd) (cost, []byte, error) {
	start := time.Now()
	out, err := cmd.CombinedOutput()
	u := cost{wall: time.Since(start)}
	if ps := cmd.ProcessState; ps != nil {
		u.cpu = ps.UserTime() + ps.SystemTime()
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			u.rss = ru.Maxrss << 10 // KiB on Linux
		}
	}
	return u, out, err
}

// TestLimitResources generates the largest spec at each limit with the
// nngen binary and builds the package, and holds them to the promises
// above. It takes several minutes, so it runs only with
// NNGEN_LIMIT_TESTS=1 (.ci/run does, in a step of its own).
//
// CPU time is held to the bound rather than wall time: on an idle machine
// wall time is at most the CPU time, and on a busy one it measures the
// machine more than nngen. Wall time is logged.
func TestLimitResources(t *testing.T) {
	if os.Getenv("NNGEN_LIMIT_TESTS") != "1" {
		t.Skip("set NNGEN_LIMIT_TESTS=1 to run (several minutes)")
	}
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	dir := t.TempDir()
	nngen := filepath.Join(dir, "nngen")
	if out, err := exec.Command(goCmd, "build", "-o", nngen, ".").CombinedOutput(); err != nil {
		t.Fatalf("building nngen: %v\n%s", err, out)
	}
	for i, rs := range resourceSpecs(t) {
		t.Run(rs.name, func(t *testing.T) {
			work := filepath.Join(dir, fmt.Sprint(i))
			os.MkdirAll(work, 0o755)
			path := filepath.Join(work, "model.nn")
			os.WriteFile(path, []byte(rs.src), 0o644)
			args := append(append([]string{"gen", "-o", filepath.Join(work, "pkg")}, rs.flags...), path)
			g, out, err := measure(exec.Command(nngen, args...))
			if err != nil {
				t.Fatalf("nngen %v: %v\n%s", args, err, out)
			}
			pkg := filepath.Join(work, "pkg")
			// A module path of its own, so that the build cache cannot hold the package.
			mod := fmt.Sprintf("module limits%d.example/m\n\ngo 1.24\n", rand.Uint64())
			os.WriteFile(filepath.Join(pkg, "go.mod"), []byte(mod), 0o644)
			build := exec.Command(goCmd, "build", "./...")
			build.Dir, build.Env = pkg, append(os.Environ(), "GOFLAGS=", "GOWORK=off")
			b, out, err := measure(build)
			if err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
			size := fileSize(t, pkg, "_test.go")
			t.Logf("gen %v | go build %v | test file %d KiB, spec %d bytes", g, b, size>>10, len(rs.src))
			if g.cpu > genCPU || g.rss > genRSS {
				t.Errorf("nngen gen took %v, over %v and %d MiB", g, genCPU, genRSS>>20)
			}
			if b.cpu > buildCPU || b.rss > buildRSS {
				t.Errorf("go build took %v, over %v and %d MiB", b, buildCPU, buildRSS>>20)
			}
			if size > testFileBytes {
				t.Errorf("the test file is %d bytes, over %d", size, testFileBytes)
			}
		})
	}
}

// fileSize is the size of the file in dir whose name ends in suffix.
func fileSize(t *testing.T, dir, suffix string) int64 {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "*"+suffix))
	if len(names) != 1 {
		t.Fatalf("%d files *%s in %s", len(names), suffix, dir)
	}
	fi, err := os.Stat(names[0])
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
