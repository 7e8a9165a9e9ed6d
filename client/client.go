// Package client is the connecting side of sockipc.
//
// A Client connects to a server's socket, retrying until the server is
// there, and reconnects on its own when the connection is lost, until it
// is closed. It implements [topic.Endpoint], so the typed functions of
// package topic work on it:
//
//	cl, err := client.New(path, client.WithRetry(100*time.Millisecond, time.Second))
//	...
//	topic.Subscribe(cl, chat.Hello, func(ctx context.Context, g chat.Greeting, from topic.Peer) { ... })
//	if err := cl.Connect(ctx); err != nil { ... }
//	err = topic.Publish(ctx, cl, chat.Hello, chat.Greeting{Text: "hi"})
//
// Subscriptions made before Connect, or while the client is reconnecting,
// are registered with the server as part of each connection.
package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/sockipc/sockipc/codec"
	"github.com/sockipc/sockipc/internal/dispatch"
	"github.com/sockipc/sockipc/internal/session"
	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport"
	"github.com/sockipc/sockipc/transport/unix"
)

// Client is a sockipc client. Its methods are safe for concurrent use.
type Client struct {
	addr string
	cfg  config
	tr   transport.Transport
	reg  *dispatch.Registry
	log  *slog.Logger

	ctx    context.Context // ends when the client closes
	cancel context.CancelFunc

	sess atomic.Pointer[session.Session] // the live connection, or nil

	mu         sync.Mutex
	id         string
	connecting bool // Connect was called and has not failed

	// subMu orders subscription changes with connection changes, so that
	// each connection starts with exactly the subscriptions of the moment.
	subMu sync.Mutex

	supervisor sync.WaitGroup
	closeOnce  sync.Once
	closedOnce sync.Once

	buffer        reconnectBuffer
	everConnected atomic.Bool
	ended         session.Counters // the counters of the connections gone
	reconnects    atomic.Uint64
}

// New returns a client for the server at path. It does not connect yet:
// see [Client.Connect]. The path is checked at once (see
// transport/unix.ValidatePath) unless WithTransport replaces the unix
// socket transport.
func New(path string, opts ...Option) (*Client, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.codec == nil {
		return nil, errors.New("client: nil codec")
	}
	if err := checkNodeCompat(cfg); err != nil {
		return nil, err
	}
	if cfg.maxMessageSize <= 0 {
		return nil, fmt.Errorf("client: max message size %d is not positive", cfg.maxMessageSize)
	}
	if cfg.retry.min < 0 || cfg.reconnect.min < 0 {
		return nil, errors.New("client: negative retry delay")
	}
	tr := cfg.transport
	if tr == nil {
		if err := unix.ValidatePath(path); err != nil {
			return nil, err
		}
		tr = unix.New(unix.WithFraming(framingFor(cfg)))
	}
	if l, ok := tr.(transport.SizeLimiter); ok && l.MaxMessageSize() < cfg.maxMessageSize {
		cfg.maxMessageSize = l.MaxMessageSize()
	}
	log := cfg.logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Client{addr: path, cfg: cfg, tr: tr, log: log}
	c.buffer.limit = cfg.reconnectBuffer
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.reg = dispatch.New(dispatch.Options{Codec: cfg.codec, QueueLen: cfg.subQueueLen,
		Drop: cfg.subPolicy == topic.Drop, OnError: c.reportError})
	return c, nil
}

// Codec returns the client's payload codec.
func (c *Client) Codec() codec.Codec { return c.cfg.codec }

// ID returns the id the server assigned to the current connection (or the
// last one), or "" before the first. Each connection gets a new id.
func (c *Client) ID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.id
}

// Connected reports whether the client has a live connection now.
func (c *Client) Connected() bool { return c.sess.Load() != nil }

// Connect connects to the server, retrying failed attempts as set by
// WithRetry and WithRetryLimit, and returns once connected: the handshake
// done and the subscriptions registered, so that a message published by
// the server from then on reaches them. It returns ctx's error if ctx ends
// first, and stops trying. A server that refuses the client (incompatible
// protocol or codec, or unauthorized) ends Connect at once with an error
// wrapping [topic.ErrIncompatible] or [topic.ErrUnauthorized].
//
// After Connect succeeds, the client reconnects by itself whenever the
// connection is lost, until Close. Connect may be called again only after
// it failed.
func (c *Client) Connect(ctx context.Context) error {
	c.mu.Lock()
	switch {
	case c.ctx.Err() != nil:
		c.mu.Unlock()
		return topic.ErrClosed
	case c.connecting:
		c.mu.Unlock()
		return errors.New("client: Connect already called")
	}
	c.connecting = true
	c.mu.Unlock()

	first := make(chan error, 1)
	c.supervisor.Add(1)
	go c.supervise(ctx, first)
	err := <-first
	if err != nil {
		if c.closed() {
			err = topic.ErrClosed
		}
		c.mu.Lock()
		c.connecting = false
		c.mu.Unlock()
	}
	return err
}

// Flush waits until everything published so far has been written to the
// socket (not necessarily read by the server). It fails with
// [topic.ErrNotConnected] if the client has no connection, or loses it
// first.
func (c *Client) Flush(ctx context.Context) error {
	sess, err := c.live()
	if err != nil {
		return err
	}
	return c.sendError(sess.Flush(ctx))
}

// Close closes the connection and stops reconnecting. It first waits, at
// most WithFlushOnClose (2 s by default), for what was published to be
// written to the socket. Calls in flight fail, the contexts of running
// handlers are cancelled, and Close returns once the client's own
// goroutines are done (it does not wait for handlers that ignore their
// context). Sending after Close fails with [topic.ErrClosed]. Close is
// idempotent.
func (c *Client) Close() error {
	if sess := c.sess.Load(); sess != nil && !c.closed() && c.cfg.flushOnClose > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), c.cfg.flushOnClose)
		_ = sess.Flush(ctx)
		cancel()
	}
	c.closeOnce.Do(c.beginClose)
	c.supervisor.Wait()
	c.finishClose()
	return nil
}

func (c *Client) beginClose() {
	c.cancel()
	c.reg.Close()
	c.buffer.mu.Lock()
	c.buffer.buf = nil
	c.buffer.mu.Unlock()
}

// Stats returns the client's counters: its traffic with the server over
// every connection, drops, and automatic reconnections.
func (c *Client) Stats() topic.Stats {
	var sum session.Counters
	sum.Add(&c.ended)
	if sess := c.sess.Load(); sess != nil {
		sum.Add(sess.Counters())
	}
	st := sum.Stats()
	st.Dropped += c.reg.Dropped()
	st.Reconnects = c.reconnects.Load()
	return st
}

func (c *Client) finishClose() {
	c.closedOnce.Do(func() {
		c.log.Debug("sockipc: client closed")
		if c.cfg.onClose != nil {
			c.cfg.onClose()
		}
	})
}

func (c *Client) closed() bool { return c.ctx.Err() != nil }

func (c *Client) reportError(err error) {
	c.log.Warn("sockipc: client", "err", err)
	if c.cfg.onError != nil {
		c.cfg.onError(err)
	}
}
