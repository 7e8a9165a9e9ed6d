package session

import (
	"context"
	"errors"
	"sync"
	"time"
)

var (
	errQueueClosed = errors.New("sockipc: connection closing")
	errQueueFull   = errors.New("sockipc: outbound queue full")
)

// queue is a session's outbound queue, bounded in bytes. Producers are any
// goroutine that sends; the consumer is the session's writer.
type queue struct {
	mu       sync.Mutex
	frames   []*Frame
	bytes    int // held by queued frames and by the batch being written
	limit    int
	closed   bool          // Close: nothing more is written
	sealed   bool          // Seal: what is queued is written, nothing more is taken
	pushed   uint64        // frames ever queued
	flushed  uint64        // frames written and flushed
	room     chan struct{} // closed when room appears; nil while nobody waits
	progress chan struct{} // closed when flushed advances; nil while nobody waits
	wake     chan struct{} // capacity 1: tells the writer there is work
}

func newQueue(limit int) *queue {
	return &queue{limit: limit, wake: make(chan struct{}, 1)}
}

// tryPush appends f if there is room, or fails with errQueueFull. A frame
// larger than the whole bound is accepted into an empty queue, so that no
// message is refused for its size alone here.
func (q *queue) tryPush(f *Frame) error {
	q.mu.Lock()
	if q.closed || q.sealed {
		q.mu.Unlock()
		return errQueueClosed
	}
	if q.bytes == 0 || q.bytes+f.Size() <= q.limit {
		q.appendLocked(f)
		return nil
	}
	q.mu.Unlock()
	return errQueueFull
}

// push appends f. While the queue is full it waits for room until ctx ends
// (ctx's error), stop is closed (errQueueClosed) or expire fires
// (errQueueFull).
func (q *queue) push(ctx context.Context, stop <-chan struct{}, expire <-chan time.Time, f *Frame) error {
	for {
		q.mu.Lock()
		if q.closed || q.sealed {
			q.mu.Unlock()
			return errQueueClosed
		}
		if q.bytes == 0 || q.bytes+f.Size() <= q.limit {
			q.appendLocked(f)
			return nil
		}
		if q.room == nil {
			q.room = make(chan struct{})
		}
		room := q.room
		q.mu.Unlock()
		select {
		case <-room:
		case <-ctx.Done():
			return ctx.Err()
		case <-stop:
			return errQueueClosed
		case <-expire:
			return errQueueFull
		}
	}
}

// appendLocked queues f, unlocks, and wakes the writer if it may sleep.
func (q *queue) appendLocked(f *Frame) {
	q.frames = append(q.frames, f)
	q.bytes += f.Size()
	q.pushed++
	first := len(q.frames) == 1
	q.mu.Unlock()
	if first {
		select {
		case q.wake <- struct{}{}:
		default:
		}
	}
}

// seal queues a last frame, whatever the bound, and refuses every later
// push. It returns how many frames must be flushed for the last to be out.
func (q *queue) seal(last *Frame) (uint64, error) {
	q.mu.Lock()
	if q.closed || q.sealed {
		q.mu.Unlock()
		return 0, errQueueClosed
	}
	q.sealed = true
	target := q.pushed + 1
	q.appendLocked(last)
	return target, nil
}

// take moves the queued frames into batch (reusing its storage).
func (q *queue) take(batch []*Frame) []*Frame {
	q.mu.Lock()
	batch, q.frames = q.frames, batch[:0]
	q.mu.Unlock()
	return batch
}

// written gives back the room of frames the writer has finished with.
func (q *queue) written(size int) {
	q.mu.Lock()
	q.bytes -= size
	if q.room != nil {
		close(q.room)
		q.room = nil
	}
	q.mu.Unlock()
}

// didFlush records that the first n frames ever queued are on the wire.
func (q *queue) didFlush(n uint64) {
	q.mu.Lock()
	q.flushed = n
	if q.progress != nil {
		close(q.progress)
		q.progress = nil
	}
	q.mu.Unlock()
}

// mark returns how many frames have been queued so far.
func (q *queue) mark() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.pushed
}

// waitFlushed waits until the first n frames ever queued are flushed.
func (q *queue) waitFlushed(ctx context.Context, n uint64) error {
	for {
		q.mu.Lock()
		if q.flushed >= n {
			q.mu.Unlock()
			return nil
		}
		if q.closed {
			q.mu.Unlock()
			return errQueueClosed
		}
		if q.progress == nil {
			q.progress = make(chan struct{})
		}
		progress := q.progress
		q.mu.Unlock()
		select {
		case <-progress:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// close refuses further pushes and releases what is still queued.
func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	frames := q.frames
	q.frames = nil
	for _, ch := range []*chan struct{}{&q.room, &q.progress} {
		if *ch != nil {
			close(*ch)
			*ch = nil
		}
	}
	q.mu.Unlock()
	for _, f := range frames {
		f.Release()
	}
}
