package nats

import (
	"fmt"
	"io"
	"time"

	natsgo "github.com/nats-io/nats.go"

	"github.com/sockipc/sockipc/transport"
)

// ReadMessage returns the next frame, waiting for it. The slice is the
// frame's own memory, which the link does not reuse.
func (l *link) ReadMessage() ([]byte, error) {
	for {
		l.mu.Lock()
		if l.closed {
			l.mu.Unlock()
			return nil, errClosed
		}
		if l.qhead < len(l.queue) {
			p := l.take()
			var ack []byte
			if l.peerWaits || l.consumed-l.lastAck >= uint64(max(l.ourWin.frames/4, 1)) || l.unacked >= l.ourWin.bytes/4 {
				ack = appendAck(nil, l.consumed)
				l.lastAck, l.unacked, l.peerWaits = l.consumed, 0, false
			}
			out := l.out
			l.mu.Unlock()
			if ack != nil {
				l.control(out, ack)
			}
			return p, nil
		}
		if l.readErr != nil {
			err := l.readErr
			l.mu.Unlock()
			return nil, err
		}
		l.mu.Unlock()
		select {
		case <-l.ready:
		case <-l.done:
		}
	}
}

// take removes the first queued frame. The caller holds mu.
func (l *link) take() []byte {
	p := l.queue[l.qhead]
	l.queue[l.qhead] = nil
	l.qhead++
	if l.qhead == len(l.queue) {
		l.queue, l.qhead = l.queue[:0], 0
	}
	l.qbytes -= len(p)
	l.consumed++
	l.unacked += len(p)
	return p
}

// onMsg handles every message of the link's subscription, on the
// subscription's own goroutine, in the order the peer published them.
func (l *link) onMsg(m *natsgo.Msg) {
	b := m.Data
	if len(b) == 0 {
		l.fail(fmt.Errorf("%w: empty message", ErrProtocol))
		return
	}
	var err error
	switch b[0] {
	case msgData:
		err = l.onData(b[1:])
	case msgAck:
		err = l.onAck(b[1:])
	case msgProbe:
		l.onProbe()
	case msgSync:
		err = l.onSync(b[1:])
	case msgFin:
		err = l.onFin(b[1:])
	case msgOpen:
		l.onOpened()
	default:
		err = fmt.Errorf("%w: unknown message type %q", ErrProtocol, b[0])
	}
	if err != nil {
		l.fail(err)
	}
}

// onData queues a frame if it is the next one. A frame seen before is
// dropped; one past a gap is dropped too, and the peer asked to send
// again from the gap on.
func (l *link) onData(b []byte) error {
	d := decoder{b: b}
	seq, ack := d.uvarint(), d.uvarint()
	if d.err != nil {
		return fmt.Errorf("%w: data: %w", ErrProtocol, d.err)
	}
	frame := d.b
	l.mu.Lock()
	if l.ended || l.peerFin {
		l.mu.Unlock()
		return nil
	}
	if err := l.ackedUpTo(ack); err != nil {
		l.mu.Unlock()
		return err
	}
	switch {
	case seq < l.expected:
		l.mu.Unlock()
		return nil
	case seq > l.expected:
		var sync []byte
		if l.gapFor != l.expected || time.Since(l.gapAt) >= resendAfter {
			l.gapFor, l.gapAt = l.expected, time.Now()
			sync = appendSync(nil, l.expected-1, l.consumed, 0)
			l.lastAck, l.unacked = l.consumed, 0
		}
		out := l.out
		l.mu.Unlock()
		if sync != nil {
			l.control(out, sync)
		}
		return nil
	}
	if limit := l.limit.Load(); int64(len(frame)) > limit {
		l.mu.Unlock()
		return fmt.Errorf("%w: a frame of %d bytes, the limit is %d", transport.ErrFrameTooLarge, len(frame), limit)
	}
	queued := len(l.queue) - l.qhead
	if queued >= l.ourWin.frames || (queued > 0 && l.qbytes+len(frame) > l.ourWin.bytes) {
		l.mu.Unlock()
		return fmt.Errorf("%w: the peer sent past the receive window", ErrProtocol)
	}
	if l.qhead > 0 && len(l.queue) == cap(l.queue) {
		n := copy(l.queue, l.queue[l.qhead:])
		clear(l.queue[n:])
		l.queue, l.qhead = l.queue[:n], 0
	}
	l.queue = append(l.queue, frame)
	l.qbytes += len(frame)
	l.expected++
	// A frame takes the connection up too, should the open message have
	// been lost.
	open := !l.opened && l.onOpen != nil
	l.opened = true
	l.mu.Unlock()
	signal(l.ready)
	if open {
		l.onOpen(l)
	}
	return nil
}

func (l *link) onAck(b []byte) error {
	d := decoder{b: b}
	ack := d.uvarint()
	if err := d.done("ack"); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ackedUpTo(ack)
}

// onProbe answers a peer that waits for window: at once if the reader
// took something since the last acknowledgement, else at its next take.
func (l *link) onProbe() {
	l.mu.Lock()
	var ack []byte
	switch {
	case l.ended:
	case l.consumed > l.lastAck:
		ack = appendAck(nil, l.consumed)
		l.lastAck, l.unacked = l.consumed, 0
	default:
		l.peerWaits = true
	}
	out := l.out
	l.mu.Unlock()
	if ack != nil {
		l.control(out, ack)
	}
}

// onSync sends again what the peer has not received, and answers with
// this side's own state if asked: after either side's NATS connection
// came back, each learns what the other misses.
func (l *link) onSync(b []byte) error {
	d := decoder{b: b}
	received, ack, flags := d.uvarint(), d.uvarint(), d.byte()
	if err := d.done("sync"); err != nil {
		return err
	}
	l.mu.Lock()
	if l.ended {
		l.mu.Unlock()
		return nil
	}
	if err := l.ackedUpTo(ack); err != nil {
		l.mu.Unlock()
		return err
	}
	var answer []byte
	if flags&syncAnswer != 0 {
		answer = appendSync(nil, l.expected-1, l.consumed, 0)
		l.lastAck, l.unacked = l.consumed, 0
	}
	out := l.out
	l.mu.Unlock()
	if answer != nil {
		l.control(out, answer)
	}
	return l.resend(received)
}

// resync asks the peer what it misses, and to say what it sent that this
// side may have missed: the NATS connection came back after a break.
func (l *link) resync() {
	l.mu.Lock()
	if l.ended {
		l.mu.Unlock()
		return
	}
	msg := appendSync(nil, l.expected-1, l.consumed, syncAnswer)
	l.lastAck, l.unacked = l.consumed, 0
	out := l.out
	l.mu.Unlock()
	l.control(out, msg)
}

// onFin ends reading once the queue is empty: with io.EOF if every frame
// the peer sent arrived, with ErrFramesLost otherwise. Writes fail from
// now on.
func (l *link) onFin(b []byte) error {
	d := decoder{b: b}
	last := d.uvarint()
	if d.err != nil {
		return fmt.Errorf("%w: close notice: %w", ErrProtocol, d.err)
	}
	reason := string(d.b)
	l.mu.Lock()
	if l.ended || l.peerFin {
		l.mu.Unlock()
		return nil
	}
	l.peerFin = true
	got := l.expected - 1
	switch {
	case got < last:
		l.readErr = fmt.Errorf("%w: the peer closed the connection, %d frame(s) it sent never arrived", ErrFramesLost, last-got)
	case reason != "":
		l.readErr = fmt.Errorf("nats: the peer ended the connection (%s): %w", reason, io.EOF)
	default:
		l.readErr = errPeerClosed
	}
	l.writeErr = errPeerClosed
	l.mu.Unlock()
	signal(l.ready)
	signal(l.space)
	return nil
}

// onOpened hands a server-side link to its listener when the dialer takes
// it up.
func (l *link) onOpened() {
	l.mu.Lock()
	first := !l.opened && l.onOpen != nil
	l.opened = true
	l.mu.Unlock()
	if first {
		l.onOpen(l)
	}
}
