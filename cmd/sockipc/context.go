package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// errInterrupted is why a command ended on SIGINT or SIGTERM.
var errInterrupted = errors.New("interrupted")

// timeoutError is why a command ended when its --timeout passed.
type timeoutError struct{ d time.Duration }

func (e timeoutError) Error() string { return fmt.Sprintf("timed out after %v", e.d) }

// withTimeout bounds ctx by the --timeout d; 0 means no bound.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d == 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeoutCause(ctx, d, timeoutError{d})
}

// ended explains why ctx ended: a timeout (a timeoutError), or a signal
// (errInterrupted).
func ended(ctx context.Context) error {
	var te timeoutError
	if errors.As(context.Cause(ctx), &te) {
		return te
	}
	return errInterrupted
}

// over reports whether ctx has ended or its deadline has passed: its
// timer may fire a little late, after an answer that it caused elsewhere.
func over(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	d, ok := ctx.Deadline()
	return ok && !time.Now().Before(d)
}
