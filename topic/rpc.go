package topic

import (
	"context"
	"errors"
	"fmt"

	"github.com/sockipc/sockipc/internal/replybuf"
)

// Call calls procedure p on the other end of ep with req and returns its
// result. From a client, it calls the server; to call a client from a
// server, use server.Call.
//
// ctx's deadline travels with the request and becomes the handler's
// deadline; cancelling ctx cancels the handler's context too. Errors:
// a *RemoteError when the handler failed (errors.Is(err, ErrNoHandler) when
// there is none), ErrConnectionLost when the connection ends first,
// a *DecodeError when the reply does not decode into Resp, and ctx's error
// when it ends first. Many calls may be in flight on one connection.
func Call[Req, Resp any](ctx context.Context, ep Endpoint, p Procedure[Req, Resp], req Req) (Resp, error) {
	var zero Resp
	in := p.req.get() // a pointer: see Publish
	in.v = req
	b, err := marshal(ep.Codec(), in.buf[:0], &in.v)
	if err != nil {
		p.req.put(in, b)
		return zero, &EncodeError{Topic: p.name, Err: err}
	}
	r := p.resp.get()
	err = callInto(ctx, ep, p.name, b, &r.v)
	p.req.put(in, b)
	resp := r.v
	p.resp.put(r, nil)
	if err != nil {
		return zero, err
	}
	return resp, nil
}

// callInto calls procedure name and decodes its result into v: through
// the endpoint's CallInto if it has one, else through CallRaw and the
// codec.
func callInto(ctx context.Context, ep Endpoint, name string, payload []byte, v any) error {
	if ci, ok := ep.(CallerInto); ok {
		return ci.CallInto(ctx, name, payload, v)
	}
	out, err := ep.CallRaw(ctx, name, payload)
	if err != nil {
		return err
	}
	if err := ep.Codec().Unmarshal(out, v); err != nil {
		return &DecodeError{Topic: name, Err: err}
	}
	return nil
}

// Handle makes h answer calls of procedure p that reach ep: on a server,
// calls from clients; on a client, calls from its server.
//
// Each call runs on its own goroutine, with a context that carries the
// caller's deadline and is cancelled when the caller gives up or the
// connection ends. An error returned by h reaches the caller as a
// *RemoteError; return one made by [NewError] to choose its code. A
// request that does not decode into Req is answered with code
// [CodeBadRequest] without calling h. A panic in h is recovered and
// answered with code [CodeInternal].
func Handle[Req, Resp any](ep Endpoint, p Procedure[Req, Resp], h func(ctx context.Context, req Req, from Peer) (Resp, error)) (Subscription, error) {
	c := ep.Codec()
	return ep.HandleRaw(p.name, func(ctx context.Context, m RawMessage, from Peer) ([]byte, error) {
		in := p.req.get()
		err := c.Unmarshal(m.payload, &in.v)
		req := in.v
		p.req.put(in, nil)
		if err != nil {
			return nil, &RemoteError{Code: CodeBadRequest, Message: fmt.Sprintf("decode request: %v", err)}
		}
		resp, err := h(ctx, req, from)
		if err != nil {
			return nil, err
		}
		r := p.resp.get() // a pointer: see Publish
		r.v = resp
		var out []byte
		if buf, ok := ctx.Value(replybuf.Key{}).(*[]byte); ok && buf != nil {
			// The endpoint's buffer, which it takes back once the reply is
			// queued: no copy to allocate.
			out, err = marshal(c, (*buf)[:0], &r.v)
			*buf = out
		} else {
			out, err = c.Marshal(&r.v)
		}
		p.resp.put(r, nil)
		if err != nil {
			return nil, &RemoteError{Code: CodeInternal, Message: fmt.Sprintf("encode reply: %v", err)}
		}
		return out, nil
	})
}

// Codes of a [RemoteError] that the library itself sets. Applications
// choose their own codes with [NewError].
const (
	CodeUnknown    = "unknown"     // the handler returned a plain error
	CodeNoHandler  = "no_handler"  // no handler for the procedure
	CodeInternal   = "internal"    // the handler panicked, or its reply did not encode
	CodeBadRequest = "bad_request" // the request did not decode into the handler's type
	CodeCanceled   = "canceled"    // the handler returned context.Canceled
	CodeDeadline   = "deadline"    // the handler returned context.DeadlineExceeded
)

// RemoteError is an error returned by the handler on the other end of a
// call (or by an interceptor that refused it).
type RemoteError struct {
	// Code classifies the error: one of the Code constants, or a code the
	// handler chose with NewError.
	Code string
	// Message is the text of the handler's error.
	Message string
}

// NewError returns an error with a code, for a handler to return: the
// caller receives a *RemoteError with the same code and message.
func NewError(code, message string) error {
	return &RemoteError{Code: code, Message: message}
}

// Error gives the code and the message.
func (e *RemoteError) Error() string {
	return fmt.Sprintf("sockipc: remote error (%s): %s", e.Code, e.Message)
}

// Is makes errors.Is(err, ErrNoHandler) true for the no-handler code.
func (e *RemoteError) Is(target error) bool {
	return target == ErrNoHandler && e.Code == CodeNoHandler
}

// AsRemoteError turns a handler's error into the RemoteError its caller
// receives. It is for Endpoint implementations.
func AsRemoteError(err error) *RemoteError {
	var re *RemoteError
	switch {
	case errors.As(err, &re):
		return re
	case errors.Is(err, context.DeadlineExceeded):
		return &RemoteError{Code: CodeDeadline, Message: err.Error()}
	case errors.Is(err, context.Canceled):
		return &RemoteError{Code: CodeCanceled, Message: err.Error()}
	default:
		return &RemoteError{Code: CodeUnknown, Message: err.Error()}
	}
}
