package session

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
)

// result is the answer to one of our calls.
type result struct {
	payload []byte
	err     error
	buf     *[]byte // holds payload, for a call whose caller decodes it (CallInto); else nil
}

// pending is one call waiting for its answer, or one inbound call being
// handled (then only call is set).
type pending struct {
	done chan result  // capacity 1
	call *callContext // of an inbound call
	into any          // of a call whose caller decodes the reply into it (CallInto); else nil
}

// callTable maps request ids to calls in flight, in one direction.
type callTable struct {
	mu     sync.Mutex
	m      map[uint64]pending
	closed bool
	empty  chan struct{} // closed when m becomes empty; nil while nobody waits
}

func newCallTable() callTable { return callTable{m: make(map[uint64]pending)} }

// add registers a call and returns how many are in flight now, or 0 once
// the session has ended.
func (t *callTable) add(id uint64, p pending) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return 0
	}
	t.m[id] = p
	return len(t.m)
}

// len returns the number of calls in flight.
func (t *callTable) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}

func (t *callTable) remove(id uint64) (pending, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p, ok := t.m[id]
	delete(t.m, id)
	if len(t.m) == 0 && t.empty != nil {
		close(t.empty)
		t.empty = nil
	}
	return p, ok
}

// waitEmpty waits until no call is in flight, or ctx ends.
func (t *callTable) waitEmpty(ctx context.Context) error {
	t.mu.Lock()
	if len(t.m) == 0 {
		t.mu.Unlock()
		return nil
	}
	if t.empty == nil {
		t.empty = make(chan struct{})
	}
	empty := t.empty
	t.mu.Unlock()
	select {
	case <-empty:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// complete delivers an answer (Reply, Error or Ack) to the call it
// answers. An answer to a call that gave up is dropped.
func (t *callTable) complete(e *wire.Envelope) {
	p, ok := t.remove(e.ID)
	if !ok {
		return
	}
	var r result
	switch e.Kind {
	case wire.KindReply:
		if p.into != nil {
			// A pooled copy, which the caller gives back once decoded.
			r.buf = copyPayload(e.Payload)
			r.payload = *r.buf
			break
		}
		r.payload = bytes.Clone(e.Payload) // the read buffer is reused
		if r.payload == nil {
			r.payload = []byte{}
		}
	case wire.KindError:
		st, err := wire.DecodeStatus(e.Payload)
		if err != nil {
			r.err = &topic.DecodeError{Err: err}
		} else {
			r.err = &topic.RemoteError{Code: st.Code, Message: st.Message}
		}
	}
	p.done <- r
}

// cancel cancels the handler of an inbound call.
func (t *callTable) cancel(id uint64) {
	t.mu.Lock()
	p, ok := t.m[id]
	t.mu.Unlock()
	if ok && p.call != nil {
		p.call.cancel()
	}
}

// closeAll ends every call in flight, and refuses new ones: a call of
// ours fails with err, the handler of one of theirs is cancelled.
func (t *callTable) closeAll(err error) {
	t.mu.Lock()
	m := t.m
	t.m = make(map[uint64]pending)
	t.closed = true
	if t.empty != nil {
		close(t.empty)
		t.empty = nil
	}
	t.mu.Unlock()
	for _, p := range m {
		if p.done != nil {
			p.done <- result{err: err}
		}
		if p.call != nil {
			p.call.cancel()
		}
	}
}

// doneChans recycles the channels calls wait on.
var doneChans = sync.Pool{New: func() any { return make(chan result, 1) }}

// Call sends a request for procedure name and waits for its answer, or
// for ctx to end (then the peer is told to cancel). ctx ends this call only.
func (s *Session) Call(ctx context.Context, name string, payload []byte, headers map[string]string) ([]byte, error) {
	return s.call(ctx, name, payload, headers, nil)
}

// CallInto is Call, but decodes the reply into v, with the session's
// codec, on the calling goroutine; the reply then needs no copy of its
// own. A reply that does not decode fails with a *topic.DecodeError.
func (s *Session) CallInto(ctx context.Context, name string, payload []byte, headers map[string]string, v any) error {
	_, err := s.call(ctx, name, payload, headers, v)
	return err
}

func (s *Session) call(ctx context.Context, name string, payload []byte, headers map[string]string, into any) ([]byte, error) {
	e := wire.Envelope{Kind: wire.KindRequest, Topic: name, Payload: payload, Headers: headers}
	if d, ok := ctx.Deadline(); ok {
		e.Timeout = max(timeUntil(d), 1)
	}
	return s.request(ctx, &e, into)
}

// Request sends a control request (such as Subscribe with an ack id) and
// waits for its Ack or Error.
func (s *Session) Request(ctx context.Context, kind wire.Kind, name string) error {
	_, err := s.request(ctx, &wire.Envelope{Kind: kind, Topic: name}, nil)
	return err
}

func (s *Session) request(ctx context.Context, e *wire.Envelope, into any) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e.ID = s.nextID.Add(1)
	p := pending{done: doneChans.Get().(chan result), into: into}
	inFlight := s.calls.add(e.ID, p)
	if inFlight == 0 {
		doneChans.Put(p.done)
		return nil, topic.ErrConnectionLost
	}
	// Alone, a call goes out at once; among others, it is batched with them.
	if err := s.SendNow(ctx, *e, inFlight == 1); err != nil {
		if _, ok := s.calls.remove(e.ID); ok {
			doneChans.Put(p.done)
		}
		return nil, err
	}
	if s.take() {
		s.readFor(ctx, p.done) // nobody was reading: read the answer here
	}
	select {
	case r := <-p.done:
		doneChans.Put(p.done) // received: empty, and nobody else sends on it
		if r.buf != nil {
			if err := s.cfg.Codec.Unmarshal(r.payload, into); err != nil {
				r.err = &topic.DecodeError{Topic: e.Topic, Err: err}
			}
			r.payload = nil
			putPayloadBuf(r.buf)
		}
		if r.err == nil {
			return r.payload, nil
		}
		var re *topic.RemoteError
		if errors.As(r.err, &re) && re.Code == topic.CodeDeadline {
			// The handler's deadline is the caller's: report it as the
			// caller's own, even if its timer has not fired yet.
			return nil, fmt.Errorf("%w (%w)", context.DeadlineExceeded, r.err)
		}
		return r.payload, r.err
	case <-ctx.Done():
		if _, ok := s.calls.remove(e.ID); ok && e.Kind == wire.KindRequest {
			s.cancelRemote(e.ID)
		}
		return nil, ctx.Err()
	}
}

// cancelRemote tells the peer we gave up on call id. It does not wait for
// room: a full queue means the answer would come late anyway, and the
// handler's deadline still bounds it.
func (s *Session) cancelRemote(id uint64) {
	m := message{env: wire.Envelope{Kind: wire.KindCancel, ID: id}}
	_ = s.queue.tryPush(&m, false)
}
