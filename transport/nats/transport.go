package nats

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	natsgo "github.com/nats-io/nats.go"

	"github.com/sockipc/sockipc/transport"
)

// Transport carries sockipc connections over NATS. Create one with [New],
// give it to server.WithTransport and client.WithTransport, and Close it
// once the server and clients using it are closed. A Transport is safe for
// concurrent use; a server and clients in one process may share one.
type Transport struct {
	cfg   config
	nc    *natsgo.Conn
	owned bool // nc was opened by New, and is closed by Close

	status  chan natsgo.Status // nats.go's status changes, for the watcher
	watcher sync.WaitGroup     // the watcher, and the claims it started

	mu         sync.Mutex
	closed     bool
	links      map[*link]struct{}
	listeners  map[*listener]struct{}
	down       bool        // the NATS connection is down
	downSince  time.Time   // since when
	grace      *time.Timer // ends every link when the grace runs out
	reconnects uint64      // nats.go's count, when last looked at
}

var _ transport.Transport = (*Transport)(nil)

// New returns a Transport on a NATS connection: its own, opened now (see
// [WithURL] and [WithNATSOptions]), or one given with [WithConn].
func New(opts ...Option) (*Transport, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	if err := checkName("subject prefix", cfg.prefix); err != nil {
		return nil, err
	}
	switch {
	case cfg.window.frames <= 0 || cfg.window.bytes <= 0:
		return nil, fmt.Errorf("nats: window of %d frames, %d bytes: both must be positive", cfg.window.frames, cfg.window.bytes)
	case cfg.backlog <= 0:
		return nil, fmt.Errorf("nats: backlog %d is not positive", cfg.backlog)
	case cfg.grace < 0 || cfg.dialTimeout <= 0 || cfg.claimWindow <= 0:
		return nil, errors.New("nats: negative grace, or a dial timeout or claim window that is not positive")
	case cfg.conn != nil && (len(cfg.urls) > 0 || len(cfg.natsOpts) > 0):
		return nil, errors.New("nats: WithConn cannot be combined with WithURL or WithNATSOptions")
	}
	t := &Transport{cfg: cfg, nc: cfg.conn, links: make(map[*link]struct{}), listeners: make(map[*listener]struct{})}
	if t.nc == nil {
		url := natsgo.DefaultURL
		if len(cfg.urls) > 0 {
			url = strings.Join(cfg.urls, ",")
		}
		nopts := append([]natsgo.Option{natsgo.Name("sockipc"), natsgo.MaxReconnects(-1)}, cfg.natsOpts...)
		nc, err := natsgo.Connect(url, nopts...)
		if err != nil {
			return nil, fmt.Errorf("nats: connect to %s: %w", url, err)
		}
		t.nc, t.owned = nc, true
	}
	t.reconnects = t.nc.Stats().Reconnects
	t.startWatch()
	return t, nil
}

// Conn returns the NATS connection the transport uses.
func (t *Transport) Conn() *natsgo.Conn { return t.nc }

// MaxMessageSize is the largest frame a connection can carry: the NATS
// server's max_payload (1 MiB unless configured otherwise), less the
// transport's header. It implements transport.SizeLimiter: servers and
// clients on the transport lower their maximum message size to it, so the
// handshake announces it and larger messages are refused with
// topic.ErrMessageTooLarge before they are sent, where otherwise they
// would end the connection with an error wrapping transport.ErrFrameTooLarge.
func (t *Transport) MaxMessageSize() int { return int(t.nc.MaxPayload()) - dataHeaderMax }

// Close ends every listener and connection of the transport, and closes
// its NATS connection if it opened it. It is safe to call more than once.
func (t *Transport) Close() error {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil
	}
	t.closed = true
	if t.grace != nil {
		t.grace.Stop()
	}
	links, lns := t.snapshot()
	t.mu.Unlock()
	for _, ln := range lns {
		ln.Close()
	}
	for _, l := range links {
		l.Close()
	}
	t.nc.RemoveStatusListener(t.status)
	t.watcher.Wait()
	if t.owned {
		t.nc.Close() // writes out what is buffered, close notices included
	}
	return nil
}

// usable fails when no connection can be made now.
func (t *Transport) usable() error {
	t.mu.Lock()
	closed := t.closed
	t.mu.Unlock()
	if closed {
		return fmt.Errorf("nats: transport closed: %w", net.ErrClosed)
	}
	if st := t.nc.Status(); st != natsgo.CONNECTED {
		return fmt.Errorf("%w (%v)", ErrNotConnected, st)
	}
	return nil
}

// track registers a live link, so liveness changes reach it. It fails if
// the transport is closed.
func (t *Transport) track(l *link) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return fmt.Errorf("nats: transport closed: %w", net.ErrClosed)
	}
	t.links[l] = struct{}{}
	return nil
}

func (t *Transport) forget(l *link) {
	t.mu.Lock()
	delete(t.links, l)
	t.mu.Unlock()
}

func (t *Transport) trackListener(ln *listener) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return fmt.Errorf("nats: transport closed: %w", net.ErrClosed)
	}
	t.listeners[ln] = struct{}{}
	return nil
}

func (t *Transport) forgetListener(ln *listener) {
	t.mu.Lock()
	delete(t.listeners, ln)
	t.mu.Unlock()
}

// snapshot returns the live links and listeners. The caller holds mu.
func (t *Transport) snapshot() ([]*link, []*listener) {
	links := make([]*link, 0, len(t.links))
	for l := range t.links {
		links = append(links, l)
	}
	lns := make([]*listener, 0, len(t.listeners))
	for ln := range t.listeners {
		lns = append(lns, ln)
	}
	return links, lns
}
