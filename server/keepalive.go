package server

import "time"

// keepaliveLoop pings idle clients every keepalive interval and frees those
// that stopped answering. One goroutine serves every client.
func (s *Server) keepaliveLoop() {
	defer s.goroutines.Done()
	t := time.NewTicker(s.cfg.keepalive)
	defer t.Stop()
	var clients []*clientConn
	for {
		select {
		case <-t.C:
		case <-s.closed:
			return
		}
		s.mu.RLock()
		for _, c := range s.clients {
			clients = append(clients, c)
		}
		s.mu.RUnlock()
		for i, c := range clients {
			c.sess.KeepaliveTick()
			clients[i] = nil
		}
		clients = clients[:0]
	}
}
