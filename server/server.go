// Package server is the listening side of sockipc: one Server on a socket
// file, many clients.
//
// A Server accepts clients, gives each a UUID v4 id, delivers the messages
// clients publish to its handlers, and sends messages to one client
// ([SendTo]), or to every client subscribed to a topic (topic.Publish).
// It implements [topic.Endpoint], so the typed functions of package topic
// work on it:
//
//	srv, err := server.New(path)
//	...
//	topic.Subscribe(srv, chat.Hello, func(ctx context.Context, g chat.Greeting, from topic.Peer) {
//		server.SendTo(ctx, srv, from.ID, chat.Hello, chat.Greeting{Text: "hi " + from.ID})
//	})
//	go srv.ListenAndServe(ctx)
package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/sockipc/sockipc/codec"
	"github.com/sockipc/sockipc/internal/dispatch"
	"github.com/sockipc/sockipc/internal/session"
	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport"
	"github.com/sockipc/sockipc/transport/unix"
)

// Server is a sockipc server. Its methods are safe for concurrent use.
type Server struct {
	addr string
	cfg  config
	tr   transport.Transport
	reg  *dispatch.Registry
	log  *slog.Logger

	mu          sync.RWMutex
	ln          transport.Listener
	serving     bool
	closing     bool
	clients     map[string]*clientConn
	handshaking map[transport.Conn]struct{}
	subs        subIndex // guarded by mu

	goroutines sync.WaitGroup // the accept loop, keepalive, and every connection's goroutine
	finishOnce sync.Once
	closed     chan struct{} // closed when the server starts closing
	lnErr      error         // the listener's Close error

	ended session.Counters // the counters of the clients gone, guarded by mu
}

// New returns a server for the socket at path. It does not listen yet: see
// [Server.Listen], [Server.Serve] and [Server.ListenAndServe]. The path is
// checked at once (see transport/unix.ValidatePath) unless WithTransport
// replaces the unix socket transport.
func New(path string, opts ...Option) (*Server, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.codec == nil {
		return nil, errors.New("server: nil codec")
	}
	if err := checkNodeCompat(cfg); err != nil {
		return nil, err
	}
	if cfg.maxMessageSize <= 0 {
		return nil, fmt.Errorf("server: max message size %d is not positive", cfg.maxMessageSize)
	}
	tr := cfg.transport
	if tr == nil {
		if err := unix.ValidatePath(path); err != nil {
			return nil, err
		}
		tr = unix.New(unix.WithMode(cfg.mode), unix.WithFraming(framingFor(cfg)))
	}
	if l, ok := tr.(transport.SizeLimiter); ok && l.MaxMessageSize() < cfg.maxMessageSize {
		cfg.maxMessageSize = l.MaxMessageSize()
	}
	log := cfg.logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		addr:        path,
		cfg:         cfg,
		tr:          tr,
		log:         log,
		clients:     make(map[string]*clientConn),
		handshaking: make(map[transport.Conn]struct{}),
		subs:        newSubIndex(),
		closed:      make(chan struct{}),
	}
	s.reg = dispatch.New(dispatch.Options{Codec: cfg.codec, QueueLen: cfg.subQueueLen,
		Drop: cfg.subPolicy == topic.Drop, OnError: s.reportError})
	return s, nil
}

// Codec returns the server's payload codec.
func (s *Server) Codec() codec.Codec { return s.cfg.codec }

// Addr returns the socket path the server was created with.
func (s *Server) Addr() string { return s.addr }

// Listen starts listening on the socket path. A stale socket file (one
// nobody accepts on, left by a process that did not clean up) is removed
// first; if a live server answers there, Listen fails with an error
// wrapping [transport.ErrAddrInUse] and leaves that server alone.
func (s *Server) Listen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return topic.ErrClosed
	}
	if s.ln != nil {
		return errors.New("server: already listening")
	}
	ln, err := s.tr.Listen(s.addr)
	if err != nil {
		return err
	}
	s.ln = ln
	s.log.Debug("sockipc: listening", "addr", s.addr)
	if s.cfg.onListening != nil {
		s.cfg.onListening(s.addr)
	}
	return nil
}

// Serve accepts clients until the server is closed or ctx ends, which
// closes the server. Call [Server.Listen] first. It returns nil once the
// server is closed (even if that happened before Serve was called) or ctx
// has ended.
func (s *Server) Serve(ctx context.Context) error {
	s.mu.Lock()
	ln := s.ln
	switch {
	case s.closing:
		s.mu.Unlock()
		return nil
	case ln == nil:
		s.mu.Unlock()
		return errors.New("server: Serve called before Listen")
	case s.serving:
		s.mu.Unlock()
		return errors.New("server: Serve called twice")
	}
	s.serving = true
	s.goroutines.Add(1)
	s.mu.Unlock()

	stop := context.AfterFunc(ctx, func() { s.Close() })
	defer stop()
	if s.cfg.keepalive > 0 && !s.cfg.nodeCompat { // Node.js clients know no Ping
		s.goroutines.Add(1)
		go s.keepaliveLoop()
	}
	err := s.acceptLoop(ln)
	s.goroutines.Done()
	if ctx.Err() != nil {
		s.Close() // wait for the close that ctx started
	}
	return err
}

// ListenAndServe is Listen followed by Serve.
func (s *Server) ListenAndServe(ctx context.Context) error {
	if err := s.Listen(); err != nil {
		return err
	}
	return s.Serve(ctx)
}

// acceptLoop accepts until the listener is closed, backing off on
// temporary failures (such as running out of file descriptors).
func (s *Server) acceptLoop(ln transport.Listener) error {
	var delay time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if s.isClosing() {
				return nil
			}
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			s.reportError(fmt.Errorf("server: accept: %w (retrying in %v)", err, delay))
			select {
			case <-time.After(delay):
				continue
			case <-s.closed:
				return nil
			}
		}
		delay = 0
		if !s.track(conn) {
			conn.Close()
			return nil
		}
		s.goroutines.Add(1)
		go s.serveConn(conn)
	}
}

// Close stops the server at once: it stops accepting, closes every
// connection (calls in flight on either side fail), cancels the contexts
// of running handlers, removes the socket file, and returns once the
// server's own goroutines are done. It does not wait for handlers that
// ignore their context. See [Server.Shutdown] for a graceful stop. Close
// is idempotent.
func (s *Server) Close() error {
	s.stopAccepting()
	s.finish()
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.lnErr
}

// stopAccepting marks the server closing (publishes fail with ErrClosed
// from now on), closes the listener and the connections still in their
// handshake. It returns the connected clients, and whether this call was
// the first.
func (s *Server) stopAccepting() ([]*clientConn, bool) {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return nil, false
	}
	s.closing = true
	ln := s.ln
	conns := make([]transport.Conn, 0, len(s.handshaking))
	for c := range s.handshaking {
		conns = append(conns, c)
	}
	clients := s.clientList()
	s.mu.Unlock()
	close(s.closed)
	if ln != nil {
		err := ln.Close()
		s.mu.Lock() // a concurrent Close reads it
		s.lnErr = err
		s.mu.Unlock()
	}
	for _, c := range conns {
		c.Close()
	}
	return clients, true
}

// finish closes what is left, waits for the server's goroutines and
// reports the close, once.
func (s *Server) finish() {
	s.finishOnce.Do(func() {
		s.mu.RLock()
		clients := s.clientList()
		s.mu.RUnlock()
		for _, c := range clients {
			c.sess.Close(nil)
		}
		s.reg.Close()
		s.goroutines.Wait()
		s.log.Debug("sockipc: server closed", "addr", s.addr)
		if s.cfg.onClose != nil {
			s.cfg.onClose()
		}
	})
	s.goroutines.Wait()
}

// clientList returns the connected clients; the caller holds mu.
func (s *Server) clientList() []*clientConn {
	clients := make([]*clientConn, 0, len(s.clients))
	for _, c := range s.clients {
		clients = append(clients, c)
	}
	return clients
}

func (s *Server) isClosing() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.closing
}

// Clients returns the connected clients, in no particular order.
func (s *Server) Clients() []topic.Peer {
	s.mu.RLock()
	peers := make([]topic.Peer, 0, len(s.clients))
	for _, c := range s.clients {
		peers = append(peers, c.peer)
	}
	s.mu.RUnlock()
	slices.SortFunc(peers, func(a, b topic.Peer) int { return cmp.Compare(a.ID, b.ID) })
	return peers
}

func (s *Server) reportError(err error) {
	s.log.Warn("sockipc: server", "err", err)
	if s.cfg.onError != nil {
		s.cfg.onError(err)
	}
}
