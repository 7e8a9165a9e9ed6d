package main

import (
	"strings"
	"testing"

	"github.com/sockipc/sockipc/benchmarks/sample"
)

// TestSequence checks that a receiver's check catches a missing message
// and an extra one, and says how far it got when stopped.
func TestSequence(t *testing.T) {
	vals := make([]float64, sample.NumVals)

	sq := newSequence(3)
	receive(sq, sample.Make[sample.Sample](0, vals))
	receive(sq, sample.Make[sample.Sample](2, vals)) // 1 is missing
	if err := sq.wait(nil); err == nil || !strings.Contains(err.Error(), "message 1") {
		t.Errorf("a missing message: got %v", err)
	}

	sq = newSequence(2)
	for i := range int64(2) {
		receive(sq, sample.Make[sample.FastSample](i, vals))
	}
	if err := sq.wait(nil); err != nil {
		t.Errorf("all messages: got %v", err)
	}

	sq = newSequence(2)
	quit := make(chan struct{})
	close(quit)
	receive(sq, sample.Make[sample.Sample](0, vals))
	if err := sq.wait(quit); err == nil || !strings.Contains(err.Error(), "1 of 2") {
		t.Errorf("stopped: got %v", err)
	}
}
