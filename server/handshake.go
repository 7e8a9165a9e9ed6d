package server

import (
	"fmt"
	"time"

	"github.com/sockipc/sockipc/internal/session"
	"github.com/sockipc/sockipc/internal/uuid"
	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport"
)

// handshake reads the client's Hello, answers it, and registers the client.
// The whole exchange must fit in the handshake timeout: a client that
// stalls is closed.
func (s *Server) handshake(conn transport.Conn) (*clientConn, error) {
	peer := topic.Peer{ID: uuid.NewV4()}
	if cc, ok := conn.(transport.CredentialsConn); ok {
		if cred, err := cc.PeerCredentials(); err == nil {
			peer.PID, peer.UID, peer.GID = cred.PID, cred.UID, cred.GID
		}
	}
	if s.cfg.nodeCompat {
		if s.cfg.authorize != nil {
			if err := s.cfg.authorize(peer); err != nil {
				return nil, fmt.Errorf("server: refused a client: %w: %v", topic.ErrUnauthorized, err)
			}
		}
		return s.admit(conn, peer, 0, nil)
	}

	timer := time.AfterFunc(s.cfg.handshakeTimeout, func() { conn.Close() })
	b, err := conn.ReadMessage()
	if !timer.Stop() {
		return nil, fmt.Errorf("server: handshake: no hello within %v", s.cfg.handshakeTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("server: handshake: %w", err)
	}
	var e wire.Envelope
	if err := wire.Native.NewDecoder().Decode(b, &e); err != nil || e.Kind != wire.KindHello {
		return nil, s.reject(conn, wire.CodeProtocol, "the first frame must be a hello")
	}
	hello, err := wire.DecodeHello(e.Payload)
	if err != nil {
		return nil, s.reject(conn, wire.CodeProtocol, fmt.Sprintf("malformed hello: %v", err))
	}
	if hello.Version != wire.Version {
		return nil, s.reject(conn, wire.CodeVersion,
			fmt.Sprintf("protocol version %d not supported; this server speaks version %d", hello.Version, wire.Version))
	}
	if hello.Codec != s.cfg.codec.Name() {
		return nil, s.reject(conn, wire.CodeCodec,
			fmt.Sprintf("client codec %q differs from server codec %q", hello.Codec, s.cfg.codec.Name()))
	}
	for _, name := range hello.Subs {
		if name != "" && topic.ValidateName(name) != nil {
			return nil, s.reject(conn, wire.CodeProtocol, fmt.Sprintf("invalid topic %q in hello", name))
		}
	}
	peer.Name = hello.Name
	if s.cfg.authorize != nil {
		if err := s.cfg.authorize(peer); err != nil {
			return nil, s.reject(conn, wire.CodeUnauthorized, err.Error())
		}
	}
	return s.admit(conn, peer, hello.MaxSize, hello.Subs)
}

// admit starts the session of a client whose handshake succeeded, queues
// its Welcome, registers it and reports it.
func (s *Server) admit(conn transport.Conn, peer topic.Peer, peerMax int, subs []string) (*clientConn, error) {
	c := &clientConn{peer: peer, subs: make(map[string]struct{})}
	cfg := session.Config{
		Conn:         conn,
		Format:       s.format(),
		Codec:        s.cfg.codec,
		Local:        s.reg,
		Peer:         peer,
		PeerMax:      peerMax,
		QueueBytes:   s.cfg.queueBytes,
		MaxHandlers:  s.cfg.maxHandlers,
		Tolerant:     s.cfg.nodeCompat,
		Policy:       session.Policy(s.cfg.policy),
		SlowTimeout:  s.cfg.slowTimeout,
		Interceptors: s.cfg.interceptors,
		OnError:      s.reportError,
	}
	if !s.cfg.nodeCompat {
		cfg.Control = s.control(c)
	}
	cfg.Relay = s.relayFrom(c)
	c.sess = session.New(cfg)
	if !s.cfg.nodeCompat {
		welcome := wire.AppendWelcome(nil, &wire.Welcome{Version: wire.Version, ClientID: peer.ID,
			MaxSize: s.cfg.maxMessageSize, Ping: s.cfg.keepalive})
		if err := c.sess.Send(c.sess.Context(), wire.Envelope{Kind: wire.KindWelcome, Payload: welcome}); err != nil {
			return nil, err
		}
	}
	if err := s.register(conn, c, subs); err != nil {
		c.sess.Close(err)
		return nil, err
	}
	s.log.Debug("sockipc: client connected", "client", peer.ID, "name", peer.Name, "pid", peer.PID)
	if s.cfg.onConnect != nil {
		s.cfg.onConnect(peer)
	}
	return c, nil
}

// reject tells the client why its handshake failed, then the caller closes
// the connection.
func (s *Server) reject(conn transport.Conn, code, msg string) error {
	st := wire.AppendStatus(nil, &wire.Status{Code: code, Message: msg})
	if b, err := wire.Native.Append(nil, &wire.Envelope{Kind: wire.KindReject, Payload: st}); err == nil {
		if conn.WriteMessage(b) == nil {
			_ = conn.Flush()
		}
	}
	reason := session.ErrProtocol
	switch code {
	case wire.CodeVersion, wire.CodeCodec:
		reason = topic.ErrIncompatible
	case wire.CodeUnauthorized:
		reason = topic.ErrUnauthorized
	}
	return fmt.Errorf("server: refused a client: %w: %s", reason, msg)
}

func (s *Server) format() wire.Format {
	if s.cfg.nodeCompat {
		return wire.Node
	}
	return wire.Native
}
