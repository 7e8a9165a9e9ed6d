package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// stallTimeout is how long a workload may go without a message arriving
// before bench calls it stuck.
const stallTimeout = 10 * time.Second

// errStalled means that messages stopped arriving.
var errStalled = errors.New("stalled")

// bencher runs the workloads of bench.
type bencher struct {
	n        int64
	socket   string // the server of --socket, or ""
	own      string // the socket of bench's own server, without --socket
	progress *progress
}

// workload is one benchmark.
type workload struct {
	name     string
	external bool // it can run against the server of --socket
	run      func(ctx context.Context, b *bencher) (benchResult, error)
}

var workloads = []workload{
	{"publish", true, benchPublish},
	{"broadcast", true, benchBroadcast},
	{"rpc", false, benchRPC},
	{"rpc-32", false, benchRPCConcurrent},
}

func (b *bencher) run(ctx context.Context, w workload) (benchResult, error) {
	if b.socket != "" && !w.external {
		return benchResult{Workload: w.name, Skipped: "needs bench's own server"}, nil
	}
	r, err := w.run(ctx, b)
	if errors.Is(err, errStalled) && b.socket != "" {
		err = fmt.Errorf("%w (does the server relay client publishes? \"sockipc serve\" does)", err)
	}
	r.Workload = w.name
	return r, err
}

// trial is one measured run: total messages are expected, each with its
// latency recorded in lat by the goroutines that receive them.
type trial struct {
	name     string
	total    int64
	lat      []int64 // nanoseconds, one per message
	arrived  atomic.Int64
	complete chan struct{} // closed when every message has arrived

	failOnce sync.Once
	failed   chan struct{} // closed by fail
	err      error
}

func newTrial(name string, total int64) *trial {
	return &trial{name: name, total: total, lat: make([]int64, total),
		complete: make(chan struct{}), failed: make(chan struct{})}
}

// record notes the arrival of message i, with its latency. Each i is
// recorded once, by one goroutine.
func (t *trial) record(i, latency int64) {
	if i < 0 || i >= t.total {
		t.fail(fmt.Errorf("message %d arrived, out of range", i))
		return
	}
	t.lat[i] = latency
	if t.arrived.Add(1) == t.total {
		close(t.complete)
	}
}

// fail ends the trial with err, the first failure.
func (t *trial) fail(err error) {
	t.failOnce.Do(func() {
		t.err = err
		close(t.failed)
	})
}

// measure runs send, waits until every message of t has arrived, and
// returns the measurements.
func (b *bencher) measure(ctx context.Context, t *trial, send func(ctx context.Context) error) (benchResult, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	sent := make(chan error, 1) // the outcome of send
	sendDone := make(chan struct{})
	go func() {
		defer close(sendDone)
		sent <- send(ctx)
	}()
	err := b.wait(ctx, t, start, sent)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	cancel()
	<-sendDone
	b.progress.end(t, elapsed, err)
	if err != nil {
		return benchResult{}, err
	}
	return measured(t, elapsed, after.Mallocs-before.Mallocs), nil
}

// wait waits for the end of a trial, showing progress; sent delivers the
// outcome of the sending goroutine.
func (b *bencher) wait(ctx context.Context, t *trial, start time.Time, sent chan error) error {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	last, lastChange := int64(0), time.Now()
	for {
		select {
		case <-t.complete:
			if sent != nil {
				if err := <-sent; err != nil {
					return err
				}
			}
			select {
			case <-t.failed:
				return t.err
			default:
				return nil
			}
		case <-t.failed:
			return t.err
		case err := <-sent:
			if err != nil {
				return err
			}
			sent = nil
		case <-ctx.Done():
			return fmt.Errorf("%w at %d of %d messages", ended(ctx), t.arrived.Load(), t.total)
		case now := <-tick.C:
			n := t.arrived.Load()
			if n != last {
				last, lastChange = n, now
			} else if now.Sub(lastChange) > stallTimeout {
				return fmt.Errorf("%w at %d of %d messages", errStalled, n, t.total)
			}
			b.progress.update(t, n, now.Sub(start))
		}
	}
}

// measured computes the figures of a completed trial.
func measured(t *trial, elapsed time.Duration, mallocs uint64) benchResult {
	lat := slices.Clone(t.lat)
	slices.Sort(lat)
	return benchResult{
		Messages:     t.total,
		Seconds:      elapsed.Seconds(),
		MsgsPerSec:   float64(t.total) / elapsed.Seconds(),
		P50ns:        percentile(lat, 50),
		P99ns:        percentile(lat, 99),
		AllocsPerMsg: float64(mallocs) / float64(t.total),
	}
}

// percentile returns the p-th percentile of sorted values.
func percentile(sorted []int64, p int) int64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[(len(sorted)-1)*p/100]
}

// progress shows how far the running workload is, on stderr: a line
// rewritten in place on a terminal, a line every second otherwise.
type progress struct {
	w        io.Writer
	tty      bool
	lastLine time.Duration
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) update(t *trial, n int64, elapsed time.Duration) {
	text := fmt.Sprintf("sockipc: bench: %s: %d/%d messages (%d%%), %.1fs", t.name, n, t.total, n*100/t.total, elapsed.Seconds())
	switch {
	case p.tty:
		fmt.Fprintf(p.w, "\r\033[K%s", text)
	case elapsed-p.lastLine >= time.Second:
		p.lastLine = elapsed
		fmt.Fprintln(p.w, text)
	}
}

func (p *progress) end(t *trial, elapsed time.Duration, err error) {
	p.lastLine = 0
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
	if err == nil {
		fmt.Fprintf(p.w, "sockipc: bench: %s: %d messages in %.2fs\n", t.name, t.total, elapsed.Seconds())
	}
}
