package server

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/sockipc/sockipc/internal/session"
	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport"
)

// clientConn is one connected client.
type clientConn struct {
	peer topic.Peer
	sess *session.Session
	subs map[string]struct{} // named subscriptions, guarded by the server's mutex
	all  bool                // subscribed to every topic, guarded by the server's mutex
}

// track records a connection in its handshake, so Close can end it.
func (s *Server) track(conn transport.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.handshaking[conn] = struct{}{}
	return true
}

func (s *Server) untrack(conn transport.Conn) {
	s.mu.Lock()
	delete(s.handshaking, conn)
	s.mu.Unlock()
}

// serveConn runs one connection from handshake to end.
func (s *Server) serveConn(conn transport.Conn) {
	defer s.goroutines.Done()
	conn.SetReadLimit(s.cfg.maxMessageSize)
	c, err := s.handshake(conn)
	s.untrack(conn)
	if err != nil {
		conn.Close()
		if !s.isClosing() {
			s.log.Warn("sockipc: handshake failed", "err", err)
			s.reportError(err)
		}
		return
	}
	err = c.sess.Run()
	s.mu.Lock()
	delete(s.clients, c.peer.ID)
	s.subs.drop(c)
	s.ended.Add(c.sess.Counters())
	s.mu.Unlock()
	if isNormalEnd(err) || s.isClosing() {
		err = nil
		s.log.Debug("sockipc: client disconnected", "client", c.peer.ID)
	} else {
		err = fmt.Errorf("server: client %s: %w", c.peer.ID, err)
		s.reportError(err)
	}
	if s.cfg.onDisconnect != nil {
		s.cfg.onDisconnect(c.peer, err)
	}
}

// isNormalEnd reports whether a connection ended the ordinary way: closed
// by either side, or dropped by a client that went away.
func isNormalEnd(err error) bool {
	return err == nil || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// register makes a handshaken client visible: to Clients, to publishes
// (with its subscriptions), to SendTo. Its Welcome is already queued, so
// it precedes anything sent to the client from now on.
func (s *Server) register(conn transport.Conn, c *clientConn, subs []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return topic.ErrClosed
	}
	delete(s.handshaking, conn) // a client now: Shutdown ends it gracefully
	s.clients[c.peer.ID] = c
	for _, name := range subs {
		s.subs.add(c, name)
	}
	return nil
}

// control applies a client's Subscribe and Unsubscribe frames.
func (s *Server) control(c *clientConn) func(e *wire.Envelope) error {
	return func(e *wire.Envelope) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch e.Kind {
		case wire.KindSubscribe:
			s.subs.add(c, e.Topic)
		case wire.KindUnsubscribe:
			s.subs.remove(c, e.Topic)
		default:
			return fmt.Errorf("%w: a client may not send %v frames", session.ErrProtocol, e.Kind)
		}
		return nil
	}
}
