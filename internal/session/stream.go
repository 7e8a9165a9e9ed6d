package session

import "time"

// Streams. A publisher that queues messages faster than the writer
// goroutine gets scheduled is streaming. Then it is cheaper for the
// publisher to write full batches itself, from the CPU that has just
// encoded them, than to hand every message to the writer goroutine on
// another CPU, whose caches must fetch each one: the writer goroutine
// pauses, and the publisher writes whenever streamBatch bytes are queued,
// as much as the socket takes at once (Session.writeInline, which never
// waits for the socket). The writer goroutine flushes what is left when
// its pause ends, so the last messages of a stream wait at most
// streamPause; at once if the socket is full, for then the peer is the
// bottleneck and the writer goroutine waits for the socket instead. A
// lone message is never delayed: it is no stream.
const (
	// streamBurst is how many messages published during one yield of the
	// writer goroutine make a stream.
	streamBurst = 8
	// streamBatch is how many queued bytes a streaming publisher writes
	// itself.
	streamBatch = 32 << 10
	// streamPause is how long the writer goroutine leaves a stream to its
	// publisher.
	streamPause = 100 * time.Microsecond
)

// publishCount returns how many published messages were queued so far.
func (q *queue) publishCount() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.publishes
}

// setPausing marks whether the writer goroutine pauses for a stream:
// meanwhile, anything queued that is not a published message ends the
// pause (urgent), since it may be a call that waits for its answer, and
// so does a publisher that finds the socket full (writeInline).
func (q *queue) setPausing(on bool) {
	q.mu.Lock()
	q.pausing = on
	q.mu.Unlock()
	select { // a signal from before this pause, or for the one just ended
	case <-q.urgent:
	default:
	}
}

// pauseForStream leaves the writing to a streaming publisher for
// streamPause, unless the session ends or something other than a
// published message is queued first. Only the writer goroutine calls it.
func (s *Session) pauseForStream() {
	if s.tryWriter == nil {
		return // publishers cannot write without waiting
	}
	if s.pauseTimer == nil {
		s.pauseTimer = time.NewTimer(streamPause)
	} else {
		s.pauseTimer.Reset(streamPause)
	}
	s.queue.setPausing(true)
	select {
	case <-s.pauseTimer.C:
	case <-s.queue.urgent:
		s.pauseTimer.Stop()
	case <-s.closed:
		s.pauseTimer.Stop()
	}
	s.queue.setPausing(false)
}

func (s *Session) stopPauseTimer() {
	if s.pauseTimer != nil {
		s.pauseTimer.Stop()
	}
}
