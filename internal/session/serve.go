package session

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
)

func timeUntil(t time.Time) time.Duration { return time.Until(t) }

// serve starts an inbound call on a goroutine of its own. When MaxHandlers
// calls are already running, it waits: the reader stops reading from this
// connection until one finishes (backpressure).
//
// When nothing more has been received, the reader would only wait for the
// peer: then it runs the call itself. If the call is the only one in
// flight, it releases the reader role meanwhile (see release.go) and reads
// on after, unless another goroutine took the role (errHandedOn): a lone
// call thus wakes no goroutine. Among others, whose answers go out while
// it runs, it hands the role to another goroutine, which reads what comes
// next meanwhile. A caller reading its own answer serves calls on worker
// goroutines instead.
func (s *Session) serve(e *wire.Envelope) error {
	if e.ID == 0 {
		return fmt.Errorf("%w: request without an id", ErrProtocol)
	}
	select {
	case s.sem <- struct{}{}: // the usual case, without locking s.closed
	default:
		select {
		case s.sem <- struct{}{}:
		case <-s.closed:
			return nil
		}
	}
	// The handler's context is not derived from the session's: the session
	// cancels it itself when it ends (serving.closeAll), and calls do not
	// all contend for the session context's lock to register.
	ctx := &callContext{}
	ctx.init(e.Timeout)
	inFlight := s.serving.add(e.ID, pending{call: ctx})
	if inFlight == 0 {
		ctx.cancel()
		<-s.sem
		return nil
	}
	c := inboundCalls.Get().(*inboundCall)
	c.ctx, c.s, c.id = ctx, s, e.ID
	var payload []byte
	if len(e.Payload) > 0 {
		// The handler's message is valid only until it returns: then the
		// copy goes back to the pool.
		c.req = copyPayload(e.Payload)
		payload = *c.req
	}
	c.m = topic.NewRawMessage(topic.KindCall, e.Topic, payload, s.cfg.Codec, e.Headers)
	switch {
	case s.buffered == nil || s.buffered.Buffered() || s.callerReads:
		s.cfg.Local.Go(c)
		return nil
	case inFlight > 1:
		s.handOn() // e belongs to the next reader from here
		c.Run()
		return errHandedOn
	}
	s.release() // e belongs to whoever takes the role from here
	c.Run()
	if s.take() {
		return nil
	}
	return errHandedOn
}

// inboundCall is a call our handler answers: a task for a worker
// goroutine, or for the reader itself. It comes from a pool and goes back
// once answered; its context is allocated apart, because the handler may
// keep that after it returns.
type inboundCall struct {
	ctx *callContext
	s   *Session
	id  uint64
	m   topic.RawMessage
	req *[]byte // holds m's payload; nil for an empty one
}

var inboundCalls = sync.Pool{New: func() any { return new(inboundCall) }}

// Run runs the call through the interceptors and its handler, and sends
// the reply or the error.
func (c *inboundCall) Run() {
	s := c.s
	defer func() { <-s.sem }()
	defer c.release() // after the answer: it may be in their buffers until queued
	out, err := s.invoke(topic.NewIncomingContext(c.ctx, c.m.Headers()), c.m)
	if _, ok := s.serving.remove(c.id); !ok {
		return // the session ended; nobody waits for the answer
	}
	e := wire.Envelope{Kind: wire.KindReply, ID: c.id, Payload: out}
	if err != nil {
		e = statusEnvelope(c.id, topic.AsRemoteError(err))
	}
	// The last answer due goes out at once; others are batched.
	if err := s.SendNow(s.ctx, e, s.serving.len() == 0); err != nil && s.ctx.Err() == nil {
		s.cfg.OnError(fmt.Errorf("sockipc: answer %q: %w", c.m.Topic(), err))
	}
}

// release ends the call's context, gives back the buffers of the request
// and the reply, once the reply is queued, and then c itself.
func (c *inboundCall) release() {
	c.ctx.cancel()
	c.ctx.releaseReply()
	putPayloadBuf(c.req)
	*c = inboundCall{}
	inboundCalls.Put(c)
}

// invoke runs the call's chain, turning a panic into an internal error.
func (s *Session) invoke(ctx context.Context, m topic.RawMessage) (out []byte, err error) {
	defer func() {
		if v := recover(); v != nil {
			s.cfg.OnError(fmt.Errorf("sockipc: handler for %q panicked: %v\n%s", m.Topic(), v, debug.Stack()))
			out, err = nil, &topic.RemoteError{Code: topic.CodeInternal, Message: "handler panicked"}
		}
	}()
	return s.onCall(ctx, m, s.cfg.Peer)
}

// handle is the end of the interceptor chain of a call: the procedure's
// handler.
func (s *Session) handle(ctx context.Context, m topic.RawMessage, from topic.Peer) ([]byte, error) {
	h := s.cfg.Local.Procedure(m.Topic())
	if h == nil {
		return nil, &topic.RemoteError{Code: topic.CodeNoHandler, Message: fmt.Sprintf("no handler for %q", m.Topic())}
	}
	return h(ctx, m, from)
}

func statusEnvelope(id uint64, re *topic.RemoteError) wire.Envelope {
	return wire.Envelope{Kind: wire.KindError, ID: id,
		Payload: wire.AppendStatus(nil, &wire.Status{Code: re.Code, Message: re.Message})}
}
