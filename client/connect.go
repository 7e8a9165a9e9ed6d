package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sockipc/sockipc/internal/session"
	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport"
)

// supervise owns the client's connections: it makes the first one (its
// outcome goes to first), then watches it and reconnects whenever it is
// lost, until the client closes or gives up.
func (c *Client) supervise(ctx context.Context, first chan<- error) {
	defer c.supervisor.Done()

	// The first connection ends with Connect's ctx or with Close.
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(c.ctx, cancel)
	sess, err := c.dialRetry(ctx)
	stop()
	cancel()
	if err != nil {
		first <- err
		return
	}
	c.everConnected.Store(true)
	c.connected(false)
	first <- nil

	for {
		c.watch(sess)
		c.sess.Store(nil)
		c.ended.Add(sess.Counters())
		if c.closed() {
			return
		}
		c.recoverUnsent(sess)
		reason := sess.Err()
		if sess.GoingAway() {
			reason = nil // the server shut down gracefully
		}
		c.log.Debug("sockipc: disconnected", "err", reason)
		if c.cfg.onDisconnect != nil {
			c.cfg.onDisconnect(reason)
		}
		if !c.wait(c.ctx, c.cfg.reconnect.next()) {
			return
		}
		sess, err = c.dialRetry(c.ctx)
		if err != nil {
			if c.closed() {
				return
			}
			c.reportError(fmt.Errorf("client: gave up reconnecting: %w", err))
			c.closeOnce.Do(c.beginClose)
			c.finishClose()
			return
		}
		c.reconnects.Add(1)
		c.connected(true)
	}
}

// watch returns when sess has ended, or closes it when the client closes.
// Meanwhile it keeps the connection alive.
func (c *Client) watch(sess *session.Session) {
	var tick <-chan time.Time
	if c.cfg.keepalive > 0 && !c.cfg.nodeCompat {
		t := time.NewTicker(c.cfg.keepalive)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-sess.Finished():
			return
		case <-tick:
			sess.KeepaliveTick()
		case <-c.ctx.Done():
			sess.Close(nil)
			<-sess.Finished()
			return
		}
	}
}

// connected reports a new connection.
func (c *Client) connected(again bool) {
	c.log.Debug("sockipc: connected", "id", c.ID(), "reconnect", again)
	if c.cfg.onConnect != nil {
		c.cfg.onConnect()
	}
	if again && c.cfg.onReconnect != nil {
		c.cfg.onReconnect()
	}
}

// dialRetry makes connection attempts until one succeeds, the server
// refuses the client for good, the retry limit is reached, or ctx ends.
func (c *Client) dialRetry(ctx context.Context) (*session.Session, error) {
	var last error
	for attempt := 1; ; attempt++ {
		sess, err := c.attempt(ctx)
		if err == nil {
			return sess, nil
		}
		if ctx.Err() != nil {
			return nil, gaveUp(ctx, last)
		}
		if errors.Is(err, topic.ErrIncompatible) || errors.Is(err, topic.ErrUnauthorized) {
			return nil, err
		}
		c.log.Debug("sockipc: connection attempt failed", "attempt", attempt, "err", err)
		if c.cfg.onConnectError != nil {
			c.cfg.onConnectError(err)
		}
		if c.cfg.retryLimit > 0 && attempt >= c.cfg.retryLimit {
			return nil, fmt.Errorf("%w after %d attempts: %w", topic.ErrRetryLimit, attempt, err)
		}
		last = err
		if !c.wait(ctx, c.cfg.retry.next()) {
			return nil, gaveUp(ctx, last)
		}
	}
}

// gaveUp is the error of connection attempts that ctx ended: ctx's error,
// with the last attempt's error to say why it had not connected yet.
func gaveUp(ctx context.Context, last error) error {
	if last == nil {
		return ctx.Err()
	}
	return fmt.Errorf("%w (last attempt: %v)", ctx.Err(), last)
}

// wait sleeps for d unless ctx ends first; it reports whether it slept.
func (c *Client) wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// attempt dials once, shakes hands, and starts the session with the
// client's current subscriptions in place.
func (c *Client) attempt(ctx context.Context) (*session.Session, error) {
	conn, err := c.tr.Dial(ctx, c.addr)
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(c.cfg.maxMessageSize)

	// Subscription changes wait until this connection is live (or failed),
	// so the set the server receives is exactly the current one.
	c.subMu.Lock()
	defer c.subMu.Unlock()

	var welcome wire.Welcome
	if !c.cfg.nodeCompat {
		welcome, err = c.handshake(ctx, conn)
		if err != nil {
			conn.Close()
			return nil, err
		}
	}
	sess := session.New(session.Config{
		Conn:         conn,
		Format:       c.format(),
		Codec:        c.cfg.codec,
		Local:        c.reg,
		Peer:         topic.Peer{ID: topic.ServerID},
		PeerMax:      welcome.MaxSize,
		QueueBytes:   c.cfg.queueBytes,
		MaxHandlers:  c.cfg.maxHandlers,
		Tolerant:     c.cfg.nodeCompat,
		Interceptors: c.cfg.interceptors,
		OnError:      c.reportError,
	})
	c.mu.Lock()
	c.id = welcome.ClientID
	c.mu.Unlock()
	sess.Start()
	c.install(sess)
	return sess, nil
}

// handshake sends the Hello, with the current subscriptions, and reads the
// server's answer. The caller holds subMu.
func (c *Client) handshake(ctx context.Context, conn transport.Conn) (wire.Welcome, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, c.cfg.handshakeTimeout,
		fmt.Errorf("client: handshake: no answer within %v", c.cfg.handshakeTimeout))
	defer cancel()
	stop := context.AfterFunc(ctx, func() { conn.Close() })

	hello := wire.AppendHello(nil, &wire.Hello{
		Version: wire.Version,
		Codec:   c.cfg.codec.Name(),
		MaxSize: c.cfg.maxMessageSize,
		Name:    c.cfg.name,
		Subs:    c.reg.Topics(),
	})
	b, err := wire.Native.Append(nil, &wire.Envelope{Kind: wire.KindHello, Payload: hello})
	if err == nil {
		err = conn.WriteMessage(b)
	}
	if err == nil {
		err = conn.Flush()
	}
	if err == nil {
		b, err = conn.ReadMessage()
	}
	if !stop() {
		return wire.Welcome{}, context.Cause(ctx)
	}
	if err != nil {
		return wire.Welcome{}, fmt.Errorf("client: handshake: %w", err)
	}
	var e wire.Envelope
	if err := wire.Native.NewDecoder().Decode(b, &e); err != nil {
		return wire.Welcome{}, fmt.Errorf("client: handshake: %w", err)
	}
	switch e.Kind {
	case wire.KindWelcome:
		w, err := wire.DecodeWelcome(e.Payload)
		if err != nil {
			return wire.Welcome{}, fmt.Errorf("client: handshake: %w", err)
		}
		return w, nil
	case wire.KindReject:
		st, err := wire.DecodeStatus(e.Payload)
		if err != nil {
			return wire.Welcome{}, fmt.Errorf("client: handshake refused: %w", err)
		}
		return wire.Welcome{}, rejection(st)
	default:
		return wire.Welcome{}, fmt.Errorf("client: handshake: %w: unexpected %v frame", session.ErrProtocol, e.Kind)
	}
}

// rejection turns the server's refusal into an error; refusals that a
// retry cannot fix wrap ErrIncompatible or ErrUnauthorized.
func rejection(st wire.Status) error {
	switch st.Code {
	case wire.CodeVersion, wire.CodeCodec:
		return fmt.Errorf("client: server refused: %w: %s", topic.ErrIncompatible, st.Message)
	case wire.CodeUnauthorized:
		return fmt.Errorf("client: server refused: %w: %s", topic.ErrUnauthorized, st.Message)
	default:
		return fmt.Errorf("client: server refused (%s): %s", st.Code, st.Message)
	}
}

func (c *Client) format() wire.Format {
	if c.cfg.nodeCompat {
		return wire.Node
	}
	return wire.Native
}
