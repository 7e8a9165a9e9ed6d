package server

import "github.com/sockipc/sockipc/topic"

// Stats returns the server's counters: traffic with every client since the
// server was created, drops, slow consumers disconnected, and the clients
// connected now.
func (s *Server) Stats() topic.Stats {
	s.mu.RLock()
	clients := len(s.clients)
	s.mu.RUnlock()
	c := &s.counters
	return topic.Stats{
		MsgsIn:        c.MsgsIn.Load(),
		MsgsOut:       c.MsgsOut.Load(),
		BytesIn:       c.BytesIn.Load(),
		BytesOut:      c.BytesOut.Load(),
		Dropped:       c.Dropped.Load() + s.reg.Dropped(),
		SlowConsumers: c.SlowConsumers.Load(),
		Clients:       clients,
	}
}
