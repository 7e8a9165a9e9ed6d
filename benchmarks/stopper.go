package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// stopper ends one run: it releases what the run opened, once, whether the
// run finished, failed or timed out. Closing connections and servers is
// also what unblocks the parts of a run that wait on them.
type stopper struct {
	ctx      context.Context
	quit     chan struct{}
	once     sync.Once
	mu       sync.Mutex
	releases []func()
	unwatch  func() bool // ends the watch on ctx
}

// newStopper returns a stopper that stops by itself when ctx ends. The
// caller must call stop when the run is over.
func newStopper(ctx context.Context) *stopper {
	s := &stopper{ctx: ctx, quit: make(chan struct{})}
	unwatch := context.AfterFunc(ctx, s.stop)
	s.mu.Lock()
	s.unwatch = unwatch
	s.mu.Unlock()
	return s
}

// onStop adds a release function. They run in the reverse order of
// their addition, like deferred calls.
func (s *stopper) onStop(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.releases = append(s.releases, f)
}

// stop closes quit and runs the release functions, the first time only.
func (s *stopper) stop() {
	s.once.Do(func() {
		close(s.quit)
		s.mu.Lock()
		fs := slices.Clone(s.releases)
		unwatch := s.unwatch
		s.mu.Unlock()
		if unwatch != nil { // nil when ctx ended before newStopper returned
			unwatch()
		}
		for _, f := range slices.Backward(fs) {
			f()
		}
	})
}

// run runs the parts of a run, each on its own goroutine, and returns the
// time from their start until the last one returned. When a part fails,
// the run is stopped, which ends the others, and the first error is
// returned; when the run's context ended first, its error is.
func (s *stopper) run(parts ...func() error) (time.Duration, error) {
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	start := time.Now()
	for _, p := range parts {
		wg.Go(func() {
			if err := p(); err != nil {
				once.Do(func() { first = err })
				s.stop()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := s.ctx.Err(); err != nil && first != nil {
		return elapsed, fmt.Errorf("%w (%v)", err, first)
	}
	return elapsed, first
}
