package server

import (
	"github.com/sockipc/sockipc/internal/session"
	"github.com/sockipc/sockipc/topic"
)

// Stats returns the server's counters: traffic with every client since the
// server was created, drops, slow consumers disconnected, and the clients
// connected now.
func (s *Server) Stats() topic.Stats {
	var sum session.Counters
	s.mu.RLock()
	sum.Add(&s.ended)
	for _, c := range s.clients {
		sum.Add(c.sess.Counters())
	}
	clients := len(s.clients)
	s.mu.RUnlock()
	st := sum.Stats()
	st.Dropped += s.reg.Dropped()
	st.Clients = clients
	return st
}
