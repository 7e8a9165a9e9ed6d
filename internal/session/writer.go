package session

// writeLoop is the session's only writer. It takes every queued frame at
// once, writes them all, and flushes only when the queue is empty, so a
// burst of messages costs few system calls and a lone message is not
// delayed.
func (s *Session) writeLoop() {
	defer close(s.writerOut)
	var batch []*Frame
	var written uint64
	for {
		select {
		case <-s.queue.wake:
		case <-s.closed:
			return
		}
		for {
			batch = s.queue.take(batch)
			if len(batch) == 0 {
				break
			}
			var err error
			size, bytes := 0, 0
			for i, f := range batch {
				if err == nil {
					err = s.conn.WriteMessage(f.B)
				}
				size += f.Size()
				bytes += len(f.B)
				f.Release()
				batch[i] = nil
			}
			s.queue.written(size)
			if err != nil {
				s.Close(err)
				return
			}
			written += uint64(len(batch))
			s.cfg.Counters.MsgsOut.Add(uint64(len(batch)))
			s.cfg.Counters.BytesOut.Add(uint64(bytes))
		}
		if err := s.conn.Flush(); err != nil {
			s.Close(err)
			return
		}
		s.queue.didFlush(written)
	}
}
