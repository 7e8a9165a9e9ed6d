package session

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/sockipc/sockipc/internal/dispatch"
	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
)

// ErrProtocol means the peer broke the protocol; the connection is closed.
var ErrProtocol = errors.New("sockipc: protocol error")

// errHandedOn ends a goroutine's turn as the reader: another goroutine
// reads from now on, or the role is free (see release.go).
var errHandedOn = errors.New("sockipc: reading handed on")

// reader is a session as the task of reading, for a worker goroutine
// (see serve).
type reader Session

// Run reads, as read does.
func (r *reader) Run() { (*Session)(r).read() }

// read takes the reader role: it reads until the connection ends, and ends
// the session, unless it hands the role on to another goroutine, or
// releases it, first. One goroutine at a time holds the role.
func (s *Session) read() {
	if err := s.readLoop(); err != errHandedOn {
		s.endReading(err)
	}
}

// endReading ends the session for err, the read error of the holder of
// the role, which nobody takes after it.
func (s *Session) endReading(err error) {
	s.Close(err)
	s.stopWatchingEnd()
	close(s.readEnded)
}

// readLoop reads and dispatches frames until the connection fails, the
// peer breaks the protocol, or the role is handed on or released
// (errHandedOn).
func (s *Session) readLoop() error {
	for {
		kind, err := s.readOne()
		if err != nil {
			return err
		}
		switch kind {
		case wire.KindReply, wire.KindError, wire.KindAck:
			if s.mayRelease() {
				s.release()
				return errHandedOn
			}
		}
	}
}

// readOne reads and dispatches one frame, and returns its kind (0 for a
// frame skipped).
func (s *Session) readOne() (wire.Kind, error) {
	if s.arrived != nil && !s.frames.NextBuffered() {
		s.deliverArrived() // before the read moves them
	}
	b, err := s.conn.ReadMessage()
	if err != nil {
		s.deliverArrived()
		return 0, err
	}
	e := &s.env
	*e = wire.Envelope{}
	if err := s.dec.Decode(b, e); err != nil {
		s.countIn(len(b))
		derr := &topic.DecodeError{ClientID: s.cfg.Peer.ID, Err: err}
		if s.cfg.Tolerant {
			s.cfg.OnError(derr)
			return 0, nil
		}
		s.deliverArrived() // what came before the bad frame was good
		return 0, fmt.Errorf("%w: %w", ErrProtocol, derr)
	}
	kind := e.Kind // e is the next holder's once dispatch hands the role on
	if kind == wire.KindPublish && s.frames != nil {
		s.arrivedIn += uint64(len(b)) // counted with the others, by deliverArrived
	} else {
		s.countIn(len(b))
	}
	return kind, s.dispatch(e)
}

// countIn counts a message of n bytes received.
func (s *Session) countIn(n int) {
	s.counters.MsgsIn.Add(1)
	s.counters.BytesIn.Add(uint64(n))
}

// dispatch acts on one inbound envelope. A returned error ends the session.
func (s *Session) dispatch(e *wire.Envelope) error {
	if e.Kind != wire.KindPublish {
		s.deliverArrived() // what came before, first
	}
	switch e.Kind {
	case wire.KindPublish:
		if s.frames != nil {
			s.collect(dispatch.Message{Topic: e.Topic, Body: e.Payload, Headers: e.Headers, From: s.senderRef(e)})
			return nil
		}
		// Delivery fails only when the session is closing; the reader
		// then ends with its next read.
		from := s.sender(e)
		m := topic.NewRawMessage(topic.KindMessage, e.Topic, e.Payload, s.cfg.Codec, e.Headers)
		if s.onPublish == nil {
			_, _ = s.deliver(s.ctx, m, from)
			return nil
		}
		if _, err := s.onPublish(s.ctx, m, from); err != nil && s.ctx.Err() == nil {
			s.cfg.OnError(fmt.Errorf("sockipc: message on %q from %s refused: %w", e.Topic, from.ID, err))
		}
		return nil
	case wire.KindRequest:
		return s.serve(e)
	case wire.KindReply, wire.KindError, wire.KindAck:
		s.calls.complete(e)
		return nil
	case wire.KindCancel:
		s.serving.cancel(e.ID)
		return nil
	case wire.KindPing:
		return s.reply(wire.Envelope{Kind: wire.KindPong, ID: e.ID})
	case wire.KindPong:
		return nil
	case wire.KindSubscribe, wire.KindUnsubscribe:
		if s.cfg.Control == nil {
			return fmt.Errorf("%w: unexpected %v frame", ErrProtocol, e.Kind)
		}
		if err := s.cfg.Control(e); err != nil {
			return err
		}
		if e.ID == 0 {
			return nil
		}
		return s.reply(wire.Envelope{Kind: wire.KindAck, ID: e.ID})
	case wire.KindGoAway:
		return s.onGoAway()
	default:
		return fmt.Errorf("%w: unexpected frame kind %d", ErrProtocol, e.Kind)
	}
}

// Messages that arrive together. Without interceptors or a relay, which
// see each message on its own, the reader collects the published messages
// it finds in its buffer, straight from there, and hands them to the
// subscriptions together once the buffer holds no further whole message,
// or before anything else: a subscription's lock is then taken once for
// many messages, instead of once for each. The transport must say when
// its buffer is about to move (transport.NextBufferedReader).

// maxArrived bounds the messages collected before they are delivered, and
// so the memory a connection's reader holds meanwhile.
const maxArrived = 1024

// arrivedLists recycles the lists of collected messages: a connection
// holds one only while it collects, so an idle one holds none.
var arrivedLists = sync.Pool{New: func() any { return new([]dispatch.Message) }}

// collect adds a published message to those collected.
func (s *Session) collect(m dispatch.Message) {
	if s.arrived == nil {
		s.arrived = arrivedLists.Get().(*[]dispatch.Message)
	}
	*s.arrived = append(*s.arrived, m)
	if len(*s.arrived) == maxArrived {
		s.deliverArrived()
	}
}

// deliverArrived queues the messages collected so far for the
// subscriptions. Delivery fails only when the session is closing; the
// reader then ends with its next read.
func (s *Session) deliverArrived() {
	if s.arrived == nil {
		return
	}
	list := s.arrived
	s.arrived = nil
	s.counters.MsgsIn.Add(uint64(len(*list)))
	s.counters.BytesIn.Add(s.arrivedIn)
	s.arrivedIn = 0
	_ = s.cfg.Local.DeliverAll(s.ctx, *list)
	clear(*list)
	*list = (*list)[:0]
	arrivedLists.Put(list)
}

// peerRef returns the sender of a message as the queues keep it.
func (s *Session) peerRef(from topic.Peer) *topic.Peer {
	if from == s.cfg.Peer {
		return &s.cfg.Peer // the same for every message
	}
	peer := new(topic.Peer) // a relayed message's sender
	*peer = from
	return peer
}

// deliver is the end of the interceptor chain of a message: it queues the
// message for the subscriptions, then hands it to Relay.
func (s *Session) deliver(ctx context.Context, m topic.RawMessage, from topic.Peer) ([]byte, error) {
	err := s.cfg.Local.Deliver(ctx, m.Topic(), m.Payload(), m.Headers(), s.peerRef(from))
	if err == nil && s.cfg.Relay != nil {
		s.cfg.Relay(ctx, m, from)
	}
	return nil, err
}

// sender is the peer a published message comes from: the peer itself, or
// on a client, the original sender of a message the server relayed.
func (s *Session) sender(e *wire.Envelope) topic.Peer {
	if s.fromPeer(e) {
		return s.cfg.Peer
	}
	return topic.Peer{ID: e.From}
}

// senderRef is sender as the queues keep it: for the peer itself, the
// same pointer for every message.
func (s *Session) senderRef(e *wire.Envelope) *topic.Peer {
	if s.fromPeer(e) {
		return &s.cfg.Peer
	}
	return &topic.Peer{ID: e.From}
}

// fromPeer reports whether a published message comes from the peer
// itself rather than, relayed by the server, from another client.
func (s *Session) fromPeer(e *wire.Envelope) bool {
	return e.From == "" || e.From == s.cfg.Peer.ID
}

// reply queues a small control frame from the reader. It waits for room
// like any send; an error means the session is ending.
func (s *Session) reply(e wire.Envelope) error {
	err := s.Send(s.ctx, e)
	if err != nil && s.ctx.Err() != nil {
		return nil
	}
	return err
}
