package session

import (
	"fmt"

	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
)

// keepalive is the state of KeepaliveTick, owned by the one goroutine that
// calls it.
type keepalive struct {
	lastIn  uint64 // frames read at the previous tick
	pending bool   // a Ping went out and nothing came back since
	id      uint64
}

// KeepaliveTick is called by one goroutine every keepalive interval. A peer
// that sent nothing during an interval gets a Ping; one that still sent
// nothing (not even the Pong) by the next tick is gone: the session ends
// with topic.ErrPeerUnresponsive. A frozen peer is so detected within three
// intervals, even though its socket stays open.
func (s *Session) KeepaliveTick() {
	in := s.counters.MsgsIn.Load()
	ka := &s.keepalive
	if in != ka.lastIn {
		ka.lastIn, ka.pending = in, false
		return
	}
	if ka.pending {
		s.Close(fmt.Errorf("%w: no answer to a keepalive ping", topic.ErrPeerUnresponsive))
		return
	}
	ka.pending = true
	ka.id++
	// A full queue is no reason to wait: the peer is slow anyway.
	_ = s.queue.tryPush(&message{env: wire.Envelope{Kind: wire.KindPing, ID: ka.id}}, false)
}
