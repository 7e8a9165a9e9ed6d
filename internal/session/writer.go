package session

import (
	"encoding/binary"

	"github.com/sockipc/sockipc/internal/slab"
	"github.com/sockipc/sockipc/transport"
)

// writeLoop is the session's only writer. It takes every queued message at
// once and writes them all, flushing only when the queue is empty, so a
// burst of messages costs few system calls and a lone message is not
// delayed.
func (s *Session) writeLoop() {
	defer close(s.writerOut)
	batcher, _ := s.conn.(transport.BatchWriter)
	var bufs [][]byte
	var written uint64
	for {
		select {
		case <-s.queue.wake:
		case <-s.closed:
			return
		}
		for {
			cs, n := s.queue.take()
			if n == 0 {
				s.queue.written(cs, 0)
				break
			}
			size := 0
			for _, c := range cs {
				size += len(c.B)
			}
			var err error
			if batcher != nil {
				// The queue's chunks are records already: hand them over whole.
				bufs = bufs[:0]
				for _, c := range cs {
					bufs = append(bufs, c.B)
				}
				err = batcher.WriteBatch(bufs)
				clear(bufs)
			} else {
				err = s.writeEach(cs)
			}
			s.queue.written(cs, size)
			if err != nil {
				s.Close(err)
				return
			}
			written += uint64(n)
			s.counters.MsgsOut.Add(uint64(n))
			s.counters.BytesOut.Add(uint64(size - 4*n))
		}
		if batcher == nil {
			if err := s.conn.Flush(); err != nil {
				s.Close(err)
				return
			}
		}
		s.queue.didFlush(written)
	}
}

// writeEach writes the records of a batch one by one.
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
