package main

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/sockipc/sockipc/benchmarks/sample"
)

// sequence checks, for a receiver that gets its messages in a callback,
// that they are messages 0 to n-1 in order and intact, and says when it
// has them all or one was wrong. The callback must not run concurrently
// with itself, which is the case for every system here.
type sequence struct {
	n    int64
	next atomic.Int64
	err  error
	done chan struct{}
	once sync.Once
}

func newSequence(n int) *sequence {
	return &sequence{n: int64(n), done: make(chan struct{})}
}

// receive checks m, the next message of sq.
func receive[T sample.Message](sq *sequence, m T) {
	i := sq.next.Load()
	if i >= sq.n {
		sq.fail(fmt.Errorf("message %d arrived, but only %d were sent", i, sq.n))
		return
	}
	if err := sample.Check(i, m); err != nil {
		sq.fail(err)
		return
	}
	sq.next.Store(i + 1)
	if i+1 == sq.n {
		sq.once.Do(func() { close(sq.done) })
	}
}

// fail records the first error and ends the wait.
func (sq *sequence) fail(err error) {
	sq.once.Do(func() {
		sq.err = err
		close(sq.done)
	})
}

// wait returns once every message arrived (nil), one was wrong, or quit
// is closed.
func (sq *sequence) wait(quit <-chan struct{}) error {
	select {
	case <-sq.done:
		return sq.err
	case <-quit:
		return fmt.Errorf("stopped after %d of %d messages", sq.next.Load(), sq.n)
	}
}
