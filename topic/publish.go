package topic

import (
	"context"

	"github.com/sockipc/sockipc/codec"
)

// Publish encodes msg with the endpoint's codec and publishes it on t.
//
// From a client, the message goes to the server (its handlers for t, and
// other clients if the server relays). From a server, it goes to every
// connected client subscribed to t; it is encoded once, whatever the number
// of clients. ctx bounds the wait for room in outbound queues; it ends this
// call only, never a connection.
func Publish[T any](ctx context.Context, ep Endpoint, t Topic[T], msg T) error {
	// A pointer, so that methods generated for *T (tinylib/msgp's
	// MarshalMsg) are found; every codec encodes it as the value.
	bx := t.boxes.get()
	bx.v = msg
	b, err := marshal(ep.Codec(), bx.buf[:0], &bx.v)
	if err == nil {
		err = ep.PublishRaw(ctx, t.name, b) // it copies b before it returns
	} else {
		err = &EncodeError{Topic: t.name, Err: err}
	}
	t.boxes.put(bx, b)
	return err
}

// Subscribe calls h for every message published on t that reaches ep, in
// the order they arrive.
//
// On a client, it also tells the server to send t's messages to this
// client: once Subscribe returns on a connected client, the server delivers
// to it. Handlers of one subscription run one at a time, off the
// connection's reader; ctx is cancelled when the endpoint closes. A payload
// that does not decode into T is reported through the endpoint's OnError
// as a *DecodeError and skipped.
func Subscribe[T any](ep Endpoint, t Topic[T], h func(ctx context.Context, msg T, from Peer)) (Subscription, error) {
	// The handler runs for one message at a time: one value to decode into,
	// and one decoder, serve them all.
	v := new(T)
	dec := codec.NewUnmarshaler(ep.Codec())
	return ep.SubscribeRaw(t.name, func(ctx context.Context, m RawMessage, from Peer) error {
		var zero T
		err := dec.Unmarshal(m.payload, v)
		msg := *v
		*v = zero // keep nothing of the message once it is handled
		if err != nil {
			return &DecodeError{Topic: t.name, ClientID: from.ID, Err: err}
		}
		h(ctx, msg, from)
		return nil
	})
}

// SubscribeAll calls h for every message on every topic that reaches ep.
// The message can be inspected with [RawMessage.Topic] and decoded with
// [RawMessage.Decode], in the handler or later: h receives its own copy.
func SubscribeAll(ep Endpoint, h func(ctx context.Context, m RawMessage, from Peer)) (Subscription, error) {
	return ep.SubscribeAllRaw(func(ctx context.Context, m RawMessage, from Peer) error {
		h(ctx, m.Clone(), from)
		return nil
	})
}

// marshal appends the encoding of v to dst, without an extra copy when the
// codec can append.
func marshal(c codec.Codec, dst []byte, v any) ([]byte, error) {
	if a, ok := c.(codec.Appender); ok {
		return a.AppendMarshal(dst, v)
	}
	b, err := c.Marshal(v)
	return append(dst, b...), err
}
