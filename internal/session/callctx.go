package session

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/sockipc/sockipc/internal/replybuf"
)

// callContext is the context an inbound call's handler runs with. It is
// done when the call is cancelled (by its caller, or by the session
// ending) or when its deadline passes. Unlike context.WithTimeout, it arms
// no timer until something waits for it (Done, or a context derived from
// it): most handlers return long before their deadline without looking,
// and then the call costs no timer at all. Err notices a passed deadline
// on its own.
//
// Its root is context.Background: it carries no values.
type callContext struct {
	deadline time.Time // zero: none

	mu   sync.Mutex
	err  error
	wait *ctxWaiters // made by the first Done or AfterFunc

	reply *[]byte // see ReplyBuffer; nil until asked for
}

// ctxWaiters is what a callContext needs only once something waits for
// it: most handlers never do, and their calls then allocate none of it.
type ctxWaiters struct {
	done  chan struct{} // made by the first Done
	timer *time.Timer   // armed by the first waiter, if there is a deadline
	after []*afterFunc  // run once at the end, see AfterFunc
}

// waitersLocked returns c's waiters, making them the first time. The caller
// holds mu.
func (c *callContext) waitersLocked() *ctxWaiters {
	if c.wait == nil {
		c.wait = &ctxWaiters{}
	}
	return c.wait
}

// ReplyBuffer returns a buffer for the handler's caller to encode the
// reply into, which the session takes back once it has queued the reply
// (topic.Handle asks for it through Value, with replybuf.Key). Only the
// goroutine running the handler may call it, before the handler returns.
func (c *callContext) ReplyBuffer() *[]byte {
	if c.reply == nil {
		c.reply = getPayloadBuf()
	}
	return c.reply
}

// releaseReply takes back the buffer of ReplyBuffer, once the reply is
// queued.
func (c *callContext) releaseReply() {
	putPayloadBuf(c.reply)
	c.reply = nil
}

// afterFunc is one function registered with AfterFunc; a pointer, so
// that its stop function can find it.
type afterFunc struct{ f func() }

// init sets up the context of a call that may run for timeout (0: no
// deadline).
func (c *callContext) init(timeout time.Duration) {
	if timeout > 0 {
		c.deadline = time.Now().Add(timeout)
	}
}

// Deadline reports the call's deadline, if it has one.
func (c *callContext) Deadline() (time.Time, bool) { return c.deadline, !c.deadline.IsZero() }

// Value returns the reply buffer (see ReplyBuffer) for replybuf.Key, and
// nil for any other key.
func (c *callContext) Value(key any) any {
	if _, ok := key.(replybuf.Key); ok {
		return c.ReplyBuffer()
	}
	return nil
}

// Done returns a channel closed when the call ends.
func (c *callContext) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := c.waitersLocked()
	if w.done == nil {
		w.done = make(chan struct{})
		if c.err != nil {
			close(w.done)
		}
	}
	c.armLocked()
	return w.done
}

// Err returns nil while the call runs, then context.Canceled or
// context.DeadlineExceeded.
func (c *callContext) Err() error {
	c.mu.Lock()
	err := c.err
	c.mu.Unlock()
	if err == nil && !c.deadline.IsZero() && !time.Now().Before(c.deadline) {
		c.end(context.DeadlineExceeded)
		c.mu.Lock()
		err = c.err
		c.mu.Unlock()
	}
	return err
}

// AfterFunc arranges for f to run when the call ends, and returns a
// function that cancels that if it has not happened yet. The context
// package uses it for the contexts derived from this one, so that deriving
// one starts no goroutine.
func (c *callContext) AfterFunc(f func()) (stop func() bool) {
	a := &afterFunc{f: f}
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		go f()
		return func() bool { return false }
	}
	w := c.waitersLocked()
	w.after = append(w.after, a)
	c.armLocked()
	c.mu.Unlock()
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		i := slices.Index(w.after, a)
		if i < 0 {
			return false
		}
		w.after = slices.Delete(w.after, i, i+1)
		return true
	}
}

func (c *callContext) String() string { return "sockipc call context" }

// cancel ends the call with context.Canceled, if it has not ended.
func (c *callContext) cancel() { c.end(context.Canceled) }

// end ends the call with err, unless it has already ended.
func (c *callContext) end(err error) {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return
	}
	c.err = err
	w := c.wait
	if w == nil {
		c.mu.Unlock()
		return
	}
	if w.done != nil {
		close(w.done)
	}
	if w.timer != nil {
		w.timer.Stop()
	}
	after := w.after
	w.after = nil
	c.mu.Unlock()
	// Without the lock: these cancel derived contexts, which may look
	// at this one.
	for _, a := range after {
		a.f()
	}
}

// armLocked starts the deadline's timer, once. The caller holds mu and
// has made the waiters (waitersLocked).
func (c *callContext) armLocked() {
	if c.wait.timer != nil || c.err != nil || c.deadline.IsZero() {
		return
	}
	c.wait.timer = time.AfterFunc(time.Until(c.deadline), func() { c.end(context.DeadlineExceeded) })
}
