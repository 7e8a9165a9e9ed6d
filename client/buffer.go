package client

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/sockipc/sockipc/internal/session"
	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
)

// reconnectBuffer holds the messages published while the client is
// reconnecting, encoded and in order, until the next connection takes them.
type reconnectBuffer struct {
	limit  int
	used   atomic.Bool // something was buffered: publishers take the slow path
	mu     sync.Mutex
	frames []*session.Frame
	bytes  int
}

// add keeps a publish for the next connection. It fails when the buffer
// is full.
func (b *reconnectBuffer) add(f *session.Frame) error {
	// Called with mu held.
	if b.bytes+f.Size() > b.limit {
		f.Release()
		return fmt.Errorf("%w: %d of %d bytes used", topic.ErrReconnectBufferFull, b.bytes, b.limit)
	}
	b.frames = append(b.frames, f)
	b.bytes += f.Size()
	b.used.Store(true)
	return nil
}

// publish sends a message on the live connection, or keeps it in the
// reconnect buffer while there is none. Publishers that find the
// connection gone serialise on the buffer's lock, and install takes the
// same lock to hand the buffer to the next connection before making it
// visible, so buffered messages go out first and in order.
func (c *Client) publish(ctx context.Context, e *wire.Envelope) error {
	buf := &c.buffer
	if !buf.used.Load() {
		sess, err := c.live()
		if err == nil {
			err = c.sendError(sess.Publish(ctx, e.Topic, e.Payload, e.Headers))
		}
		if buf.limit == 0 || !lost(err) || !c.everConnected.Load() {
			return err
		}
		// No connection: buffer the message.
	}
	buf.mu.Lock()
	defer buf.mu.Unlock()
	if c.closed() {
		return topic.ErrClosed
	}
	if sess := c.sess.Load(); sess != nil && !sess.GoingAway() {
		// Reconnected meanwhile: the buffer was emptied into sess first.
		err := sess.Publish(ctx, e.Topic, e.Payload, e.Headers)
		if !lost(err) {
			return c.sendError(err)
		}
	}
	f, err := session.Encode(c.format(), e)
	if err != nil {
		return &topic.EncodeError{Topic: e.Topic, Err: err}
	}
	return buf.add(f)
}

// install makes sess the live connection, after queueing on it what was
// buffered while there was none.
func (c *Client) install(sess *session.Session) {
	buf := &c.buffer
	buf.mu.Lock()
	defer buf.mu.Unlock()
	for i, f := range buf.frames {
		if err := sess.Send(c.ctx, f); err != nil {
			// The new connection is already gone, with what it took: keep
			// the rest for the next one.
			rest := buf.frames[i+1:]
			buf.frames = append(buf.frames[:0], rest...)
			buf.bytes = 0
			for _, f := range buf.frames {
				buf.bytes += f.Size()
			}
			c.reportError(fmt.Errorf("client: %d buffered message(s) lost with a connection that ended at once: %w", i+1, err))
			c.sess.Store(sess)
			return
		}
	}
	clear(buf.frames)
	buf.frames = buf.frames[:0]
	buf.bytes = 0
	buf.used.Store(false)
	c.sess.Store(sess)
}

// lost reports whether a send failed because the connection is going or
// gone.
func lost(err error) bool {
	return errors.Is(err, topic.ErrConnectionLost) || errors.Is(err, topic.ErrNotConnected)
}
