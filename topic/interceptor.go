package topic

import "context"

// InboundFunc handles one inbound message or call on the raw layer. For a
// call, it returns the encoded result or the error the caller receives (as
// a *RemoteError); for a message, the result is ignored and an error is
// reported through the endpoint's OnError.
type InboundFunc func(ctx context.Context, m RawMessage, from Peer) ([]byte, error)

// Interceptor wraps the handling of every inbound message and call of an
// endpoint (server.WithInterceptor, client.WithInterceptor): logging,
// metrics, authorization by peer or header. It returns a function that
// usually does its work and calls next; returning an error without calling
// next refuses the message or call.
//
// An interceptor sees the name, the peer, the headers and the raw payload
// ([RawMessage.Kind] tells a message from a call), and needs no type
// parameters. For a message it runs on the connection's reader before the
// message is queued for the subscriptions, so it should be quick; for a
// call it runs on the call's goroutine, with the call's context. m is
// valid only until it returns.
//
//	logCalls := func(next topic.InboundFunc) topic.InboundFunc {
//		return func(ctx context.Context, m topic.RawMessage, from topic.Peer) ([]byte, error) {
//			start := time.Now()
//			out, err := next(ctx, m, from)
//			slog.Info("inbound", "name", m.Topic(), "from", from.ID, "took", time.Since(start), "err", err)
//			return out, err
//		}
//	}
type Interceptor func(next InboundFunc) InboundFunc

// Chain composes interceptors around final, the first one outermost: it is
// the first to see a message. It returns final itself when there are none.
// Endpoint implementations use it.
func Chain(final InboundFunc, interceptors ...Interceptor) InboundFunc {
	for i := len(interceptors) - 1; i >= 0; i-- {
		final = interceptors[i](final)
	}
	return final
}
