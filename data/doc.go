// Package data reads training data into the types of any package nngen
// generates, deals it out in shuffled mini-batches and evaluates a network
// on it. Generated packages never import it: it meets them through type
// parameters, X for an Input and Y for a Target (or an Output), and through
// method values such as net.Loss and net.ForwardN.
//
// Reading is two steps. A reader turns a file into a Tensor, the file's
// numbers in their own element type with their shape and where each one
// lies in the file:
//
//	ParseIDX, ReadIDX  IDX (MNIST's format), gzip-compressed or not
//	ParseCSV, ReadCSV  CSV or whitespace-separated numbers, header optional, a label column
//	ParseNPY, ReadNPY  NumPy .npy, versions 1.0–3.0, <f4 <f8 |u1 <i4 <i8, C order
//
// Then NewSet converts the rows of two tensors into a Set[X, Y], checking
// that a row fits X (or Y) and that every value fits its element type. Each
// fault in a file is an *Error naming the file and the byte offset (binary
// formats, counted in the decompressed data) or the line (text formats);
// no input makes a reader panic.
//
// Training: Batches fills a caller's batch arrays, x[:] and y[:], with a
// fresh shuffle of a Set each epoch, allocating nothing per batch. The last
// partial batch of an epoch is dropped by default (Drop): the reshuffle drops
// different examples each epoch, and every Step sees a full batch of distinct
// examples. Wrap completes it instead with the first examples of the same
// epoch's order, so that every example is seen at least once per epoch.
//
// Evaluation: Classify (a confusion matrix) and Accuracy run a forward
// function such as net.ForwardN over a Set; MeanLoss averages a loss function
// such as net.Loss over every example of a Set, the partial last batch
// included and counted once per example; Standardizer and RMSE serve
// regression.
package data
