package server

import (
	"context"
	"sync"
)

// Shutdown stops the server gracefully. It stops accepting at once, and
// publishes fail with topic.ErrClosed from then on. Then, for every
// client at the same time: it tells the client it is going away (the
// client stops sending and reconnects later by its normal policy, without
// treating this as an error), reads what the client had already sent, lets
// the calls in flight finish and answers them, writes every message queued
// for the client, and closes the connection. Last, the server's
// subscription handlers finish the messages they had queued, and the
// server closes as [Server.Close] does.
//
// If ctx ends first, Shutdown closes everything at once and returns ctx's
// error. Calling Shutdown or Close again waits for the first to finish.
func (s *Server) Shutdown(ctx context.Context) error {
	clients, first := s.stopAccepting()
	if !first {
		s.finish()
		return nil
	}
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(func() {
			if s.cfg.nodeCompat {
				// Node.js clients know no GoAway: write what is queued, close.
				_ = c.sess.Flush(ctx)
				c.sess.Close(nil)
				return
			}
			_ = c.sess.GoAway(ctx)
		})
	}
	wg.Wait()
	err := ctx.Err()
	if err == nil {
		err = s.reg.Drain(ctx)
	}
	s.finish()
	return err
}
