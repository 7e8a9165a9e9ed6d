package session

import (
	"encoding/binary"
	"runtime"

	"github.com/sockipc/sockipc/internal/slab"
	"github.com/sockipc/sockipc/transport"
)

// The writer role: one goroutine at a time writes to the connection,
// holding Session.writing. Usually that is the session's writer goroutine,
// which takes every queued message at once and writes them all, flushing
// only when the queue is empty, so a burst costs few system calls. A call
// or its answer is more urgent than it is big: its sender takes the role
// itself when it is free and writes what the socket accepts at once
// (writeInline), so a lone request goes out with no hand-off between
// goroutines; what the socket did not take is left to the writer
// goroutine.

// batch is messages taken from the queue and not yet all written.
type batch struct {
	chunks []*slab.Chunk
	n      int // messages
	size   int // bytes, lengths included
	off    int // bytes already written
}

// writeLoop is the session's writer goroutine.
func (s *Session) writeLoop() {
	defer close(s.writerOut)
	for {
		select {
		case <-s.queue.wake:
		case <-s.closed:
			return
		}
		// Let the goroutines that are ready to run first queue what they
		// have: under load, many messages then go in one write.
		runtime.Gosched()
		for s.writing.CompareAndSwap(false, true) {
			err := s.drain()
			s.writing.Store(false)
			if err != nil {
				s.Close(err)
				return
			}
			// A message queued inline while we held the role is ours.
			if !s.queue.pending() {
				break
			}
		}
	}
}

// drain writes what an inline writer left, then every queued message,
// waiting for the socket as long as needed. The caller holds the role.
func (s *Session) drain() error {
	for {
		if s.left.n == 0 {
			cs, n := s.queue.take()
			if n == 0 {
				s.queue.written(cs, 0)
				break
			}
			s.left = batch{chunks: cs, n: n, size: chunksSize(cs)}
		}
		if err := s.writeBatch(); err != nil {
			return err
		}
	}
	if s.batcher == nil {
		if err := s.conn.Flush(); err != nil {
			return err
		}
	}
	s.queue.didFlush(s.written)
	return nil
}

// writeBatch writes the rest of s.left, waiting as long as needed.
func (s *Session) writeBatch() error {
	b := &s.left
	var err error
	switch {
	case s.batcher != nil:
		err = s.batcher.WriteBatch(s.bufsFrom(b))
	default:
		err = s.writeEach(b.chunks)
	}
	s.finish(b)
	return err
}

// writeInline takes the role if it is free and writes the queued messages
// without waiting for the socket; the writer goroutine finishes what the
// socket did not take.
func (s *Session) writeInline() {
	if s.tryWriter == nil || !s.writing.CompareAndSwap(false, true) {
		return // the holder of the role writes what was queued
	}
	var err error
	if s.left.n == 0 {
		cs, n := s.queue.take()
		if n == 0 {
			s.queue.written(cs, 0)
		} else {
			s.left = batch{chunks: cs, n: n, size: chunksSize(cs)}
			var w int
			w, err = s.tryWriter.TryWriteBatch(s.bufsFrom(&s.left))
			s.left.off += w
			if err == nil && s.left.off == s.left.size {
				s.finish(&s.left)
				s.queue.didFlush(s.written)
			}
		}
	}
	leftover := s.left.n > 0
	s.writing.Store(false)
	switch {
	case err != nil:
		s.Close(err)
	case leftover || s.queue.pending():
		s.queue.kick()
	}
}

// dropLeft gives back the chunks of a batch left partly written when the
// session ended. It runs once the writer goroutine has returned; it waits
// for an inline writer that still holds the role.
func (s *Session) dropLeft() {
	for !s.writing.CompareAndSwap(false, true) {
		runtime.Gosched()
	}
	if s.left.chunks != nil {
		s.queue.written(s.left.chunks, s.left.size)
		s.left = batch{}
	}
	s.writing.Store(false)
}

// bufsFrom lays out the unwritten part of b for the connection.
func (s *Session) bufsFrom(b *batch) [][]byte {
	s.bufs = s.bufs[:0]
	skip := b.off
	for _, c := range b.chunks {
		if skip >= len(c.B) {
			skip -= len(c.B)
			continue
		}
		s.bufs = append(s.bufs, c.B[skip:])
		skip = 0
	}
	return s.bufs
}

// finish accounts for a batch written and gives its chunks back.
func (s *Session) finish(b *batch) {
	clear(s.bufs)
	s.queue.written(b.chunks, b.size)
	s.written += uint64(b.n)
	s.counters.MsgsOut.Add(uint64(b.n))
	s.counters.BytesOut.Add(uint64(b.size - 4*b.n))
	*b = batch{}
}

func chunksSize(cs []*slab.Chunk) int {
	n := 0
	for _, c := range cs {
		n += len(c.B)
	}
	return n
}

// writeEach writes the records of a batch one by one, for connections
// that take one message at a time.
func (s *Session) writeEach(cs []*slab.Chunk) error {
	for _, c := range cs {
		for b := c.B; len(b) >= 4; {
			n := binary.BigEndian.Uint32(b)
			if err := s.conn.WriteMessage(b[4 : 4+n]); err != nil {
				return err
			}
			b = b[4+n:]
		}
	}
	return nil
}

// connWriters finds the optional writing methods of conn.
func connWriters(conn transport.Conn) (transport.BatchWriter, transport.TryWriter) {
	b, _ := conn.(transport.BatchWriter)
	t, _ := conn.(transport.TryWriter)
	return b, t
}
