package server

import (
	"context"

	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
)

// WithRelay makes the server forward every message a client publishes to
// the other clients subscribed to its topic (in the Node.js mode, to every
// other client), besides delivering it to the server's own handlers:
// client-to-client publish and subscribe through the server. The payload
// is forwarded as it came, without being decoded, encoded once for all the
// recipients; the recipients see the original sender as the message's
// topic.Peer. A message is never sent back to its sender. Default: off.
func WithRelay() Option { return func(o *config) { o.relay = true } }

// relayFrom returns the session's Relay hook for client c.
func (s *Server) relayFrom(c *clientConn) func(context.Context, topic.RawMessage, topic.Peer) {
	if !s.cfg.relay {
		return nil
	}
	return func(ctx context.Context, m topic.RawMessage, from topic.Peer) {
		sc := getScratch()
		defer putScratch(sc)
		sc.env = wire.Envelope{Kind: wire.KindPublish, Topic: m.Topic(), From: from.ID, Headers: m.Headers(), Payload: m.Payload()}
		if err := s.broadcast(ctx, sc, c); err != nil && ctx.Err() == nil {
			s.reportError(err)
		}
	}
}
