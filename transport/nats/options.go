package nats

import (
	"time"

	natsgo "github.com/nats-io/nats.go"
)

// Defaults of a [Transport].
const (
	// DefaultPrefix is the first token of every subject the transport uses.
	DefaultPrefix = "sockipc"
	// DefaultDisconnectGrace is how long connections survive while the
	// NATS connection is down and nats.go reconnects.
	DefaultDisconnectGrace = 10 * time.Second
	// DefaultDialTimeout bounds a dial when its context has no deadline.
	DefaultDialTimeout = 5 * time.Second
	// DefaultClaimWindow is how long Listen waits for other listeners of
	// the same name to make themselves known.
	DefaultClaimWindow = 50 * time.Millisecond
	// DefaultWindowFrames and DefaultWindowBytes are the receive window of
	// each connection: the frames a peer may send that the reader has not
	// taken yet.
	DefaultWindowFrames = 8192
	DefaultWindowBytes  = 8 << 20
	// DefaultBacklog is how many connections wait for Accept before new
	// dials are refused.
	DefaultBacklog = 128
)

// Option configures a [Transport].
type Option func(*config)

type config struct {
	urls        []string
	conn        *natsgo.Conn
	natsOpts    []natsgo.Option
	prefix      string
	grace       time.Duration
	dialTimeout time.Duration
	claimWindow time.Duration
	window      window
	backlog     int
}

func defaults() config {
	return config{
		prefix:      DefaultPrefix,
		grace:       DefaultDisconnectGrace,
		dialTimeout: DefaultDialTimeout,
		claimWindow: DefaultClaimWindow,
		window:      window{frames: DefaultWindowFrames, bytes: DefaultWindowBytes},
		backlog:     DefaultBacklog,
	}
}

// WithURL sets the NATS servers to connect to, each a URL such as
// "nats://127.0.0.1:4222"; nats.go picks one and fails over to the others.
// Default: [natsgo.DefaultURL]. It cannot be combined with [WithConn].
func WithURL(urls ...string) Option { return func(c *config) { c.urls = append(c.urls, urls...) } }

// WithConn makes the transport use an existing NATS connection instead of
// opening its own. The transport never closes it: its Close leaves nc
// open. It cannot be combined with [WithURL] or [WithNATSOptions].
func WithConn(nc *natsgo.Conn) Option { return func(c *config) { c.conn = nc } }

// WithNATSOptions passes options to nats.Connect when the transport opens
// its own connection: credentials (nats.UserCredentials, nats.Token),
// TLS (nats.Secure, nats.RootCAs, nats.ClientCert), reconnect settings,
// a connection name. They apply after the transport's own defaults
// (reconnect forever, name "sockipc"), so they override them.
func WithNATSOptions(opts ...natsgo.Option) Option {
	return func(c *config) { c.natsOpts = append(c.natsOpts, opts...) }
}

// WithPrefix sets the first token(s) of every subject the transport uses,
// so that several applications share one NATS system without meeting, and
// so that NATS permissions can be granted per application. Both sides must
// use the same prefix. Default: [DefaultPrefix].
func WithPrefix(prefix string) Option { return func(c *config) { c.prefix = prefix } }

// WithDisconnectGrace sets how long connections survive while the NATS
// connection is down. nats.go reconnects by itself, to the same server or
// another of the cluster; if it is back within d, every connection goes on
// and frames lost meanwhile are sent again. Past d, every connection ends
// with an error wrapping [ErrDisconnected], and the sockipc client's
// reconnect policy takes over. 0 ends connections as soon as the NATS
// connection drops. Default: [DefaultDisconnectGrace].
//
// sockipc's keepalive goes on meanwhile, and ends a connection whose peer
// stays silent for two to three intervals: keep the keepalive interval
// (15 s by default) above half the grace, or the keepalive decides first.
func WithDisconnectGrace(d time.Duration) Option { return func(c *config) { c.grace = d } }

// WithDialTimeout bounds a dial whose context has no deadline (the sockipc
// client reconnects with such a context). Default: [DefaultDialTimeout].
func WithDialTimeout(d time.Duration) Option { return func(c *config) { c.dialTimeout = d } }

// WithClaimWindow sets how long Listen waits for answers from other
// listeners of the same name before it takes the name. It must exceed the
// time a message takes across the NATS system and back, or two listeners
// started at the same instant on distant servers may both succeed.
// Default: [DefaultClaimWindow].
func WithClaimWindow(d time.Duration) Option { return func(c *config) { c.claimWindow = d } }

// WithWindow sets the receive window of each connection: how many frames,
// and bytes, the peer may send that this side's reader has not taken yet.
// A sender whose window is full waits, as a writer on a full socket does.
// A single frame larger than bytes is still sent when nothing else is
// outstanding. Defaults: [DefaultWindowFrames], [DefaultWindowBytes].
func WithWindow(frames, bytes int) Option {
	return func(c *config) { c.window = window{frames: frames, bytes: bytes} }
}

// WithBacklog sets how many connections may wait for Accept; dials beyond
// it are refused with [ErrRefused]. Default: [DefaultBacklog].
func WithBacklog(n int) Option { return func(c *config) { c.backlog = n } }
