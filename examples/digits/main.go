package main

import (
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"

	"github.com/nngen/nngen/examples/digits/digitnet"
)

const (
	seed   = 1  // fixes the split, the initial weights and the batch order
	epochs = 10 // passes over the training set
)

func main() {
	log.SetFlags(0)
	data, err := loadDigits()
	if err != nil {
		log.Fatal(err)
	}
	train, test := data.split(seed)
	fmt.Printf("%d images: %d for training, %d held out\n", data.len(), train.len(), test.len())

	net := digitnet.New() // the parameters, their gradient and all workspace, in one allocation
	net.Init(seed)
	trainEpochs(net, train, epochs, seed, os.Stdout)

	correct := countCorrect(net, test)
	fmt.Printf("held-out accuracy: %.3f (%d of %d)\n", float64(correct)/float64(test.len()), correct, test.len())
}

// trainEpochs runs SGD over the training set for the given number of epochs,
// reshuffling it each time, and returns each epoch's mean training loss (also
// printed to w). The last partial batch of each epoch is dropped: the
// network's batch size is fixed, and the reshuffle drops different examples
// each time.
func trainEpochs(net *digitnet.Model, train *dataset, epochs int, seed uint64, w io.Writer) []float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	var x [digitnet.BatchSize]digitnet.Input
	var y [digitnet.BatchSize]digitnet.Target
	losses := make([]float32, epochs)
	for e := range losses {
		order := rng.Perm(train.len())
		batches := len(order) / digitnet.BatchSize
		var sum float32
		for b := range batches {
			for i, j := range order[b*digitnet.BatchSize : (b+1)*digitnet.BatchSize] {
				x[i], y[i] = train.images[j], train.labels[j]
			}
			sum += net.Step(&x, &y) // the batch's mean loss, then one SGD step
		}
		losses[e] = sum / float32(batches)
		fmt.Fprintf(w, "epoch %2d: training loss %.4f\n", e+1, losses[e])
	}
	return losses
}

// countCorrect returns how many images of d the network classifies
// correctly: the predicted class is the largest of the ten logits.
func countCorrect(net *digitnet.Model, d *dataset) int {
	correct := 0
	var logits digitnet.Output
	for i := range d.images {
		net.Forward(&d.images[i], &logits)
		if argmax(&logits) == int(d.labels[i]) {
			correct++
		}
	}
	return correct
}

// argmax returns the index of the largest logit (the first one on ties).
func argmax(v *digitnet.Output) int {
	best := 0
	for i := range v {
		if v[i] > v[best] {
			best = i
		}
	}
	return best
}
