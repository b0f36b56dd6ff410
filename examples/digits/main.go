package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/nngen/nngen/data"
	"github.com/nngen/nngen/data/curves"
	"github.com/nngen/nngen/data/progress"
	"github.com/nngen/nngen/examples/digits/digitnet"
)

const (
	defaultSeed   = 1  // fixes the split, the initial weights and the batch order
	defaultEpochs = 10 // passes over the training set
	heldOut       = 0.25
)

func main() {
	log.SetFlags(0)
	epochs := flag.Int("epochs", defaultEpochs, "passes over the training set")
	seed := flag.Uint64("seed", defaultSeed, "fixes the split, the initial weights and the batch order")
	plot := flag.String("plot", "", "where to draw the learning curves (PNG); none if empty")
	flag.Parse()
	if *epochs < 1 {
		log.Fatalf("-epochs %d: want at least 1", *epochs)
	}

	digits, err := loadDigits()
	if err != nil {
		log.Fatal(err)
	}
	train, test := digits.Split(heldOut, *seed)
	fmt.Printf("%d images: %d for training, %d held out\n", digits.Len(), train.Len(), test.Len())

	net := digitnet.New() // the parameters, their gradient and all workspace, in one allocation
	net.Init(*seed)
	points, err := trainEpochs(net, train, test, *epochs, *seed, os.Stdout)
	if err != nil {
		log.Fatal(err)
	}
	if *plot != "" {
		if err := curves.WritePNG(*plot, "digits", points); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("learning curves drawn in %s\n", *plot)
	}
	confusion, err := data.Classify(test, net.ForwardN)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("held-out images by digit and prediction:\n%v\n", confusion)
	fmt.Printf("held-out accuracy: %.3f (%d of %d)\n", confusion.Accuracy(), confusion.Correct(), confusion.Total())
}

// trainEpochs runs SGD over the training set for the given number of epochs,
// reshuffling it each time, evaluates the held-out set after each epoch,
// prints a line per epoch to w (with the training time) and returns each
// epoch's losses and accuracy. The last partial batch of each epoch is
// dropped (data.Drop): the network's batch size is fixed, and the reshuffle
// drops different examples each time.
func trainEpochs(net *digitnet.Model, train, test *set, epochs int, seed uint64, w io.Writer) ([]curves.Point, error) {
	var x [digitnet.BatchSize]digitnet.Input
	var y [digitnet.BatchSize]digitnet.Target
	batches := data.NewBatches(train, x[:], y[:], seed, data.Drop)
	meter := progress.New(w, batches.PerEpoch()*digitnet.BatchSize)
	points := make([]curves.Point, epochs)
	for e := range points {
		meter.Start(e + 1)
		for batches.Next() {
			loss := net.Step(&x, &y) // the batch's mean loss, then one SGD step
			meter.Add(digitnet.BatchSize, float64(loss))
		}
		trained := meter.Stop()
		testLoss, err := data.MeanLoss(test, net.Loss)
		if err != nil {
			return nil, err
		}
		accuracy, err := data.Accuracy(test, net.ForwardN)
		if err != nil {
			return nil, err
		}
		points[e] = curves.Point{Epoch: e + 1, TrainLoss: trained.Loss, TestLoss: testLoss, TestAccuracy: accuracy}
		fmt.Fprintf(w, "%v, held-out loss %.4f, accuracy %.4f\n", trained, testLoss, accuracy)
	}
	return points, nil
}
