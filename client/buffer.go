package client

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/sockipc/sockipc/internal/session"
	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
)

// reconnectBuffer holds the messages published while the client is
// reconnecting, encoded and in order (each behind a 4-byte length), until
// the next connection takes them.
type reconnectBuffer struct {
	limit int
	used  atomic.Bool // something is buffered: publishers take the slow path
	mu    sync.Mutex
	buf   []byte
}

// add keeps an encoded message for the next connection. The caller holds
// mu.
func (b *reconnectBuffer) add(body []byte) error {
	if len(b.buf)+4+len(body) > b.limit {
		return fmt.Errorf("%w: %d of %d bytes used", topic.ErrReconnectBufferFull, len(b.buf), b.limit)
	}
	b.buf = binary.BigEndian.AppendUint32(b.buf, uint32(len(body)))
	b.buf = append(b.buf, body...)
	b.used.Store(true)
	return nil
}

// publish sends a message on the live connection, or keeps it in the
// reconnect buffer while there is none. Publishers that find the
// connection gone serialise on the buffer's lock, and install takes the
// same lock to hand the buffer to the next connection before making it
// visible, so buffered messages go out first and in order.
func (c *Client) publish(ctx context.Context, name string, payload []byte, headers map[string]string) error {
	buf := &c.buffer
	if !buf.used.Load() {
		sess, err := c.live()
		if err == nil {
			err = c.sendError(sess.Publish(ctx, name, payload, headers))
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
		err := sess.Publish(ctx, name, payload, headers)
		if !lost(err) {
			return c.sendError(err)
		}
	}
	body, err := c.format().Append(nil, &wire.Envelope{Kind: wire.KindPublish, Topic: name, Payload: payload, Headers: headers})
	if err != nil {
		return &topic.EncodeError{Topic: name, Err: err}
	}
	return buf.add(body)
}

// install makes sess the live connection, after queueing on it what was
// buffered while there was none.
func (c *Client) install(sess *session.Session) {
	buf := &c.buffer
	buf.mu.Lock()
	defer buf.mu.Unlock()
	for len(buf.buf) > 0 {
		n := binary.BigEndian.Uint32(buf.buf)
		if err := sess.SendBody(c.ctx, buf.buf[4:4+n]); err != nil {
			// The new connection is already gone, with what it took: keep
			// the rest for the next one.
			c.reportError(fmt.Errorf("client: a buffered message was lost with a connection that ended at once: %w", err))
			buf.buf = buf.buf[4+n:]
			break
		}
		buf.buf = buf.buf[4+n:]
	}
	if len(buf.buf) == 0 {
		buf.buf = nil
		buf.used.Store(false)
	}
	c.sess.Store(sess)
}

// lost reports whether a send failed because the connection is going or
// gone.
func lost(err error) bool {
	return errors.Is(err, topic.ErrConnectionLost) || errors.Is(err, topic.ErrNotConnected)
}

// recoverUnsent takes the messages published on a connection that ended
// before they were written: they go first in the reconnect buffer, so
// that they are sent once reconnected, before what was published since;
// without a buffer they are lost, and reported.
func (c *Client) recoverUnsent(sess *session.Session) {
	buf := &c.buffer
	if buf.limit == 0 {
		if n := sess.Unsent(nil); n > 0 {
			c.reportError(fmt.Errorf("client: %d published message(s) still queued when the connection ended were lost: %w",
				n, topic.ErrConnectionLost))
		}
		return
	}
	buf.mu.Lock()
	defer buf.mu.Unlock()
	var front []byte
	lost := 0
	sess.Unsent(func(body []byte) {
		if len(front)+4+len(body)+len(buf.buf) > buf.limit {
			lost++
			return
		}
		front = binary.BigEndian.AppendUint32(front, uint32(len(body)))
		front = append(front, body...)
	})
	if len(front) > 0 {
		buf.buf = append(front, buf.buf...)
		buf.used.Store(true)
	}
	if lost > 0 {
		c.reportError(fmt.Errorf("client: %d published message(s) still queued when the connection ended were lost: %w",
			lost, topic.ErrReconnectBufferFull))
	}
}
