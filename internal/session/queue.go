package session

import (
	"context"
	"sync"
)

// queue is a session's outbound queue, bounded in bytes. Producers are any
// goroutine that sends; the consumer is the session's writer.
type queue struct {
	mu     sync.Mutex
	frames []*Frame
	bytes  int // held by queued frames and by the batch being written
	limit  int
	closed bool
	room   chan struct{} // closed when room appears; nil while nobody waits
	wake   chan struct{} // capacity 1: tells the writer there is work
}

func newQueue(limit int) *queue {
	return &queue{limit: limit, wake: make(chan struct{}, 1)}
}

// push appends f, waiting while the queue is full until ctx ends or stop is
// closed. A frame larger than the whole bound is accepted into an empty
// queue, so that no message is refused for size alone here.
func (q *queue) push(ctx context.Context, stop <-chan struct{}, f *Frame) error {
	for {
		q.mu.Lock()
		if q.closed {
			q.mu.Unlock()
			return errQueueClosed
		}
		if q.bytes == 0 || q.bytes+f.Size() <= q.limit {
			q.frames = append(q.frames, f)
			q.bytes += f.Size()
			first := len(q.frames) == 1
			q.mu.Unlock()
			if first {
				select {
				case q.wake <- struct{}{}:
				default:
				}
			}
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
		}
	}
}

// take moves the queued frames into batch (reusing its storage).
func (q *queue) take(batch []*Frame) []*Frame {
	q.mu.Lock()
	batch, q.frames = q.frames, batch[:0]
	q.mu.Unlock()
	return batch
}

// written gives back the room of frames the writer has finished with.
func (q *queue) written(n int) {
	q.mu.Lock()
	q.bytes -= n
	if q.room != nil {
		close(q.room)
		q.room = nil
	}
	q.mu.Unlock()
}

// close refuses further pushes and releases what is still queued.
func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	frames := q.frames
	q.frames = nil
	if q.room != nil {
		close(q.room)
		q.room = nil
	}
	q.mu.Unlock()
	for _, f := range frames {
		f.Release()
	}
}
