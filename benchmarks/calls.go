package main

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/sockipc/sockipc/benchmarks/sample"
)

// callFunc makes call number i, with message i as its argument, and checks
// that the reply is message i. vals is the caller's own buffer for the
// message's Vals (see sample.Make).
type callFunc func(ctx context.Context, i int64, vals []float64) error

// callers is the number of concurrent callers of W4.
const callers = 32

// sequentialCalls is W3: n calls one after the other, each one's latency
// recorded.
func sequentialCalls(s *stopper, n int, call callFunc) (result, error) {
	lat := make([]time.Duration, 0, n)
	elapsed, err := s.run(func() error {
		vals := make([]float64, sample.NumVals)
		for i := range int64(n) {
			start := time.Now()
			if err := call(s.ctx, i, vals); err != nil {
				return fmt.Errorf("call %d: %w", i, err)
			}
			lat = append(lat, time.Since(start))
		}
		return nil
	})
	return result{count: n, elapsed: elapsed, lat: lat}, err
}

// concurrentCalls is W4: n calls made by 32 goroutines sharing the one
// connection that call uses, each taking the next call number until all
// are done. Each call's latency is recorded.
func concurrentCalls(s *stopper, n int, call callFunc) (result, error) {
	var next atomic.Int64
	lats := make([][]time.Duration, callers)
	parts := make([]func() error, callers)
	for g := range parts {
		lats[g] = make([]time.Duration, 0, n/callers+1)
		parts[g] = func() error {
			vals := make([]float64, sample.NumVals)
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return nil
				}
				start := time.Now()
				if err := call(s.ctx, i, vals); err != nil {
					return fmt.Errorf("call %d: %w", i, err)
				}
				lats[g] = append(lats[g], time.Since(start))
			}
		}
	}
	elapsed, err := s.run(parts...)
	var lat []time.Duration
	for _, l := range lats {
		lat = append(lat, l...)
	}
	return result{count: n, elapsed: elapsed, lat: lat}, err
}
