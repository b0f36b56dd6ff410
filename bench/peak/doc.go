// Package peak measures the machine limits the benchmark quotes its floors
// against: the FP32 FMA peak of one core (register-only loops with enough
// independent accumulators to hide the FMA latency), the core clock (a chain
// of dependent integer adds, one cycle each) and the read bandwidth of an
// L2-resident buffer.
//
// The loops are Go assembly on amd64; elsewhere, or under the purego tag,
// Supported reports false and the benchmark prints no floor.
package peak
