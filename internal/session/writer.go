package session

import "encoding/binary"

// writeLoop is the session's only writer. It takes every queued message at
// once, writes them all, and flushes only when the queue is empty, so a
// burst of messages costs few system calls and a lone message is not
// delayed.
func (s *Session) writeLoop() {
	defer close(s.writerOut)
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
			var err error
			total := 0
			for _, c := range cs {
				batch := c.B
				total += len(batch)
				for len(batch) >= 4 && err == nil {
					size := binary.BigEndian.Uint32(batch)
					err = s.conn.WriteMessage(batch[4 : 4+size])
					batch = batch[4+size:]
				}
			}
			s.queue.written(cs, total)
			total -= 4 * n
			if err != nil {
				s.Close(err)
				return
			}
			written += uint64(n)
			s.counters.MsgsOut.Add(uint64(n))
			s.counters.BytesOut.Add(uint64(total))
		}
		if err := s.conn.Flush(); err != nil {
			s.Close(err)
			return
		}
		s.queue.didFlush(written)
	}
}
