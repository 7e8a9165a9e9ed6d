package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"time"
)

// measures holds each bench's measures, one per repetition, in order.
type measures map[*bench][]measure

// runAll runs every bench reps times, repetition-major: every bench once,
// in order, then every bench again, and so on, so that a change in the
// machine's state over the run spreads over all of them. With -warmup,
// every bench first runs once unmeasured. Before each repetition, and
// after the last, it checks the CPUs' speed (see cpucheck.go). It stops
// at the first failure.
func runAll(c config, benches []*bench, sz sizes) (measures, *cpuChecks, error) {
	if c.warmup {
		for _, b := range benches {
			if _, err := runOne(c, b, b.size(sz)); err != nil {
				return nil, nil, fmt.Errorf("%s %s, warm-up: %w", b.work, b.name(), err)
			}
			fmt.Fprintf(c.progress, "warm-up  %-2s  %s\n", b.work, b.name())
		}
	}
	ms := measures{}
	checks := &cpuChecks{}
	for rep := range c.reps {
		checks.add()
		for _, b := range benches {
			m, err := runOne(c, b, b.size(sz))
			if err != nil {
				return nil, nil, fmt.Errorf("%s %s, repetition %d: %w", b.work, b.name(), rep+1, err)
			}
			ms[b] = append(ms[b], m)
			fmt.Fprintf(c.progress, "rep %d/%d  %-2s  %-40s %s\n", rep+1, c.reps, b.work, b.name(), describe(b, m))
		}
	}
	checks.add()
	return ms, checks, nil
}

// runOne runs one bench once, on a collected heap, within the timeout.
func runOne(c config, b *bench, n int) (measure, error) {
	runtime.GC()
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	var res result
	var err error
	// The labels name the bench in a CPU profile (-cpuprofile; see
	// "go tool pprof -tagfocus"), for every goroutine it starts; the task
	// marks its run in an execution trace (-trace; see traceidle).
	pprof.Do(ctx, pprof.Labels("work", b.work, "bench", b.name()), func(ctx context.Context) {
		ctx, task := trace.NewTask(ctx, b.work+" "+b.name())
		defer task.End()
		s := newStopper(ctx)
		res, err = b.run(s, n)
		s.stop()
	})
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return measure{}, fmt.Errorf("timed out after %v: %w", c.timeout, err)
	}
	if err != nil {
		return measure{}, err
	}
	return res.measure(), nil
}

// describe is a one-line summary of a measure, for progress.
func describe(b *bench, m measure) string {
	s := fmtRate(m.rate) + " " + b.unit()
	if m.p50 > 0 {
		s += ", p50 " + fmtDur(m.p50) + ", p99 " + fmtDur(m.p99)
	}
	return s
}

// fmtRate formats a rate with three significant digits: 1.44M, 231k.
func fmtRate(r float64) string {
	// The thresholds are where three significant digits round up to the
	// next unit: 999.6k is written 1M, not 1e+03k.
	switch {
	case r >= 999.5e3:
		return fmt.Sprintf("%.3gM", r/1e6)
	case r >= 999.5:
		return fmt.Sprintf("%.3gk", r/1e3)
	}
	return fmt.Sprintf("%.3g", r)
}

// fmtDur formats a latency: 7.1 µs, 231 µs, 1.25 ms.
func fmtDur(d time.Duration) string {
	us := float64(d) / float64(time.Microsecond)
	switch {
	case us >= 999.5:
		return fmt.Sprintf("%.3g ms", us/1000)
	case us >= 99.95:
		return fmt.Sprintf("%.0f µs", us)
	}
	return fmt.Sprintf("%.1f µs", us)
}
