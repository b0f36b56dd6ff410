package main

import (
	"fmt"
	"log"
	"math"
	"os"

	"github.com/nngen/nngen/examples/mnist/classify/mnistnet"
)

func main() {
	log.SetFlags(0)
	if len(os.Args) < 2 {
		log.Fatal("usage: classify IMAGE.png…")
	}
	net := mnistnet.Trained()
	failed := false
	for _, path := range os.Args[1:] {
		x, err := readDigit(path)
		if err != nil {
			log.Print(err)
			failed = true
			continue
		}
		label, p := classify(net, &x)
		fmt.Printf("%s: %d (p=%.4f)\n", path, label, p)
	}
	if failed {
		os.Exit(1)
	}
}

// classify returns the most likely digit and its softmax probability.
func classify(net *mnistnet.Model, x *mnistnet.Input) (int, float64) {
	var logits mnistnet.Output
	net.Forward(x, &logits)
	best := 0
	for k := range logits {
		if logits[k] > logits[best] {
			best = k
		}
	}
	sum := 0.0
	for _, t := range logits {
		sum += math.Exp(float64(t - logits[best]))
	}
	return best, 1 / sum
}
