package session

// writeLoop is the session's only writer. It takes every queued frame at
// once, writes them all, and flushes only when the queue is empty, so a
// burst of messages costs few system calls and a lone message is not
// delayed.
func (s *Session) writeLoop() {
	defer close(s.writerOut)
	var batch []*Frame
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
			n := 0
			for i, f := range batch {
				if err == nil {
					err = s.conn.WriteMessage(f.B)
				}
				n += f.Size()
				f.Release()
				batch[i] = nil
			}
			s.queue.written(n)
			if err != nil {
				s.Close(err)
				return
			}
		}
		if err := s.conn.Flush(); err != nil {
			s.Close(err)
			return
		}
	}
}
