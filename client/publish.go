package client

import (
	"context"
	"errors"
	"fmt"

	"github.com/sockipc/sockipc/internal/dispatch"
	"github.com/sockipc/sockipc/internal/session"
	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
)

// live returns the current connection, or the error a send gets without
// one.
func (c *Client) live() (*session.Session, error) {
	if c.closed() {
		return nil, topic.ErrClosed
	}
	sess := c.sess.Load()
	if sess == nil {
		return nil, topic.ErrNotConnected
	}
	return sess, nil
}

// sendError explains an error of a send on a connection that was lost.
func (c *Client) sendError(err error) error {
	switch {
	case err == nil:
		return nil
	case c.closed():
		return topic.ErrClosed
	case errors.Is(err, topic.ErrConnectionLost):
		return fmt.Errorf("%w: %w", topic.ErrNotConnected, err)
	}
	return err
}

// PublishRaw implements [topic.Endpoint]: it sends an encoded payload on a
// topic to the server. It fails with [topic.ErrNotConnected] while the
// client has no connection, and waits while the outbound queue is full,
// until ctx ends.
func (c *Client) PublishRaw(ctx context.Context, name string, payload []byte) error {
	if err := c.checkTopic(name); err != nil {
		return err
	}
	return c.publish(ctx, name, payload, topic.OutgoingHeaders(ctx))
}

// CallRaw implements [topic.Endpoint]: it calls a procedure on the server
// with an encoded argument and returns the encoded result.
func (c *Client) CallRaw(ctx context.Context, procedure string, payload []byte) ([]byte, error) {
	return c.call(ctx, procedure, payload, nil)
}

// CallInto implements [topic.CallerInto]: it calls a procedure on the
// server as CallRaw does, but decodes the result into v, a pointer, with
// the client's codec, so that the result needs no copy of its own. A
// result that does not decode into v fails with a *topic.DecodeError.
// [topic.Call] uses it.
func (c *Client) CallInto(ctx context.Context, procedure string, payload []byte, v any) error {
	_, err := c.call(ctx, procedure, payload, v)
	return err
}

// call makes a call on the live connection: CallInto with v, else CallRaw.
func (c *Client) call(ctx context.Context, procedure string, payload []byte, v any) ([]byte, error) {
	if c.cfg.nodeCompat {
		return nil, fmt.Errorf("%w: calls need the native protocol", topic.ErrUnsupported)
	}
	sess, err := c.live()
	if err != nil {
		return nil, err
	}
	var out []byte
	if v != nil {
		err = sess.CallInto(ctx, procedure, payload, topic.OutgoingHeaders(ctx), v)
	} else {
		out, err = sess.Call(ctx, procedure, payload, topic.OutgoingHeaders(ctx))
	}
	if err != nil && c.closed() {
		err = topic.ErrClosed
	}
	return out, err
}

// HandleRaw implements [topic.Endpoint]: h answers the server's calls of
// the procedure.
func (c *Client) HandleRaw(procedure string, h topic.RawProcedureHandler) (topic.Subscription, error) {
	if c.cfg.nodeCompat {
		return nil, fmt.Errorf("%w: calls need the native protocol", topic.ErrUnsupported)
	}
	if err := topic.ValidateName(procedure); err != nil {
		return nil, err
	}
	p, err := c.reg.Handle(procedure, h)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// SubscribeRaw implements [topic.Endpoint]. On a connected client, the
// server knows of the subscription when SubscribeRaw returns.
func (c *Client) SubscribeRaw(name string, h topic.RawHandler) (topic.Subscription, error) {
	if err := c.checkTopic(name); err != nil {
		return nil, err
	}
	return c.subscribe(name, false, h)
}

// SubscribeAllRaw implements [topic.Endpoint]: h receives every message
// the server sends this client, whatever its topic.
func (c *Client) SubscribeAllRaw(h topic.RawHandler) (topic.Subscription, error) {
	return c.subscribe("", true, h)
}

func (c *Client) subscribe(name string, all bool, h topic.RawHandler) (topic.Subscription, error) {
	c.subMu.Lock()
	defer c.subMu.Unlock()
	sub, first, err := c.reg.Subscribe(name, all, h)
	if err != nil {
		return nil, err
	}
	if first {
		c.announce(wire.KindSubscribe, name)
	}
	return subscription{c, sub}, nil
}

// announce tells the server of a subscription change and waits until it is
// in effect. Without a connection there is nothing to do: the next
// connection's hello carries the subscriptions of the moment. The caller
// holds subMu.
func (c *Client) announce(kind wire.Kind, name string) {
	sess := c.sess.Load()
	if sess == nil || c.cfg.nodeCompat {
		return
	}
	if err := sess.Request(c.ctx, kind, name); err != nil && !c.closed() {
		// The connection is ending; the next one starts from the current set.
		c.log.Debug("sockipc: subscription change not acknowledged", "topic", name, "err", err)
	}
}

// subscription is a client subscription: unsubscribing the last one of a
// topic tells the server.
type subscription struct {
	c   *Client
	sub *dispatch.Sub
}

func (s subscription) Unsubscribe() error {
	s.c.subMu.Lock()
	defer s.c.subMu.Unlock()
	return s.sub.UnsubscribeThen(func(name string, all, last bool) error {
		if last {
			s.c.announce(wire.KindUnsubscribe, name)
		}
		return nil
	})
}

// checkTopic validates a topic name; the Node.js mode also allows "".
func (c *Client) checkTopic(name string) error {
	if name == "" && c.cfg.nodeCompat {
		return nil
	}
	return topic.ValidateName(name)
}
