package topic

import "context"

type outgoingKey struct{}

type incomingKey struct{}

// WithHeaders returns a context that attaches headers to every message
// published and every call made with it. Headers are string metadata for
// the other side's interceptors and handlers (a trace id, an auth token);
// they travel beside the payload, not in it. Do not modify h afterwards.
func WithHeaders(ctx context.Context, h map[string]string) context.Context {
	return context.WithValue(ctx, outgoingKey{}, h)
}

// OutgoingHeaders returns the headers attached to ctx by [WithHeaders], or
// nil. Endpoint implementations use it.
func OutgoingHeaders(ctx context.Context) map[string]string {
	h, _ := ctx.Value(outgoingKey{}).(map[string]string)
	return h
}

// IncomingHeaders returns, in a handler, the headers the sender attached to
// the message or call being handled, or nil. Do not modify them.
func IncomingHeaders(ctx context.Context) map[string]string {
	h, _ := ctx.Value(incomingKey{}).(map[string]string)
	return h
}

// NewIncomingContext returns a context carrying the headers of an inbound
// message, for [IncomingHeaders]. Endpoint implementations use it; it
// returns ctx itself when h is empty.
func NewIncomingContext(ctx context.Context, h map[string]string) context.Context {
	if len(h) == 0 {
		return ctx
	}
	return context.WithValue(ctx, incomingKey{}, h)
}
