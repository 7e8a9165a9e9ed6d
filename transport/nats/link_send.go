package nats

import (
	"errors"
	"fmt"

	natsgo "github.com/nats-io/nats.go"

	"github.com/sockipc/sockipc/transport"
)

// WriteMessage publishes p as one NATS message. It waits while the peer's
// receive window is full, as a write on a socket waits for a slow reader,
// until the peer's reader takes frames or the connection ends.
//
// The message is handed to nats.go, which writes it out at once from its
// own goroutine (or keeps it in its reconnect buffer while the NATS
// connection is down). A frame larger than the NATS server's max_payload,
// less the transport's header, fails with an error wrapping
// [transport.ErrFrameTooLarge].
func (l *link) WriteMessage(p []byte) error {
	_, err := l.write(p, true)
	return err
}

// write publishes p, waiting for window if wait is set; without wait, it
// reports false when the window is full, and publishes nothing.
func (l *link) write(p []byte, wait bool) (bool, error) {
	if limit := l.t.MaxMessageSize(); len(p) > limit {
		return false, fmt.Errorf("%w: a frame of %d bytes does not fit a NATS message (max_payload %d, less %d for the transport's header)",
			transport.ErrFrameTooLarge, len(p), l.t.nc.MaxPayload(), dataHeaderMax)
	}
	if wait {
		if err := l.waitRoom(len(p) + dataHeaderMax); err != nil {
			return false, err
		}
	}
	l.pubMu.Lock()
	l.mu.Lock()
	if l.writeErr != nil {
		err := l.writeErr
		l.mu.Unlock()
		l.pubMu.Unlock()
		return false, err
	}
	if !wait && !l.room(len(p)+dataHeaderMax) {
		l.mu.Unlock()
		l.pubMu.Unlock()
		return false, nil
	}
	seq := l.nextSeq
	l.nextSeq++
	// Every frame tells the peer how far our reader got: no separate
	// acknowledgement is needed while both sides send.
	if l.consumed > l.lastAck {
		l.lastAck, l.unacked, l.peerWaits = l.consumed, 0, false
	}
	msg := appendData(make([]byte, 0, dataHeaderMax+len(p)), seq, l.lastAck, p)
	l.retained = append(l.retained, msg)
	l.retBytes += len(msg)
	out := l.out
	l.mu.Unlock()
	err := l.t.nc.Publish(out, msg)
	l.pubMu.Unlock()
	return true, l.published(err)
}

// published judges the outcome of publishing a data message. A failure
// while the NATS connection is breaking (a write error, a full reconnect
// buffer) is not an error of the link: the message is kept, and sent again
// once the peer says it is missing. Only a NATS connection closed for good
// ends the link.
func (l *link) published(err error) error {
	if err == nil || !permanent(err) {
		return nil
	}
	err = fmt.Errorf("%w: %w", ErrDisconnected, err)
	l.fail(err)
	return err
}

// permanent reports whether a publish error means the NATS connection
// will carry nothing more.
func permanent(err error) bool {
	return errors.Is(err, natsgo.ErrConnectionClosed) || errors.Is(err, natsgo.ErrConnectionDraining)
}

// Flush reports whether the connection still works. It has nothing to
// wait for: WriteMessage has handed every frame to nats.go already, whose
// flusher writes them out without delay. It does not make a round trip to
// the NATS server.
func (l *link) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.writeErr
}

// waitRoom waits until the peer's window has room for a message of n
// bytes. A message always fits when nothing is outstanding.
func (l *link) waitRoom(n int) error {
	for {
		l.mu.Lock()
		if l.writeErr != nil {
			err := l.writeErr
			l.mu.Unlock()
			return err
		}
		if l.room(n) {
			l.mu.Unlock()
			return nil
		}
		// Ask the peer for its acknowledgement, once per wait: it may be
		// holding one back because it took less than a quarter window.
		probe := !l.probing
		l.probing = true
		out := l.out
		l.mu.Unlock()
		if probe {
			l.control(out, []byte{msgProbe})
		}
		select {
		case <-l.space:
		case <-l.done:
		}
	}
}

// room reports whether the peer's window has room for a message of n
// bytes. The caller holds mu.
func (l *link) room(n int) bool {
	outstanding := l.nextSeq - 1 - l.acked
	return outstanding == 0 || (outstanding < uint64(l.peerWin.frames) && l.retBytes+n <= l.peerWin.bytes)
}

// ackedUpTo records that the peer's reader took every frame up to ack,
// which frees them. The caller holds mu.
func (l *link) ackedUpTo(ack uint64) error {
	if ack <= l.acked || l.ended {
		return nil
	}
	if ack >= l.nextSeq {
		return fmt.Errorf("%w: acknowledgement of frame %d, only %d sent", ErrProtocol, ack, l.nextSeq-1)
	}
	n := int(ack - l.acked)
	for i := range n {
		l.retBytes -= len(l.retained[i])
		l.retained[i] = nil
	}
	l.retained = l.retained[n:]
	l.acked = ack
	l.probing = false
	signal(l.space)
	return nil
}

// resend publishes again every frame after received, in order: the peer
// says it has received nothing past it.
func (l *link) resend(received uint64) error {
	l.pubMu.Lock()
	defer l.pubMu.Unlock()
	l.mu.Lock()
	if l.ended {
		l.mu.Unlock()
		return nil
	}
	if received >= l.nextSeq {
		l.mu.Unlock()
		return fmt.Errorf("%w: the peer received frame %d, only %d sent", ErrProtocol, received, l.nextSeq-1)
	}
	from := max(received, l.acked) - l.acked
	msgs := append([][]byte(nil), l.retained[from:]...)
	out := l.out
	l.mu.Unlock()
	for _, msg := range msgs {
		if err := l.t.nc.Publish(out, msg); err != nil {
			return nil // lost again; the peer asks again
		}
	}
	return nil
}
