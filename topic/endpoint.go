package topic

import (
	"context"

	"github.com/sockipc/sockipc/codec"
)

// Endpoint is the untyped ("raw") messaging layer that both *server.Server
// and *client.Client implement. It moves topic names and payloads already
// encoded with the endpoint's [codec.Codec].
//
// Most code uses the typed functions of this package ([Publish],
// [Subscribe], [Call], [Handle]), which encode and decode through Codec.
// The raw methods are for code that does not know the types: catch-all
// handlers, bridges, loggers, the sockipc command.
//
// All methods are safe for concurrent use.
type Endpoint interface {
	// Codec returns the codec payloads are encoded with.
	Codec() codec.Codec

	// PublishRaw sends payload on the named topic: from a client, to the
	// server; from a server, to every client subscribed to the topic. It
	// does not keep payload after it returns.
	PublishRaw(ctx context.Context, topic string, payload []byte) error

	// SubscribeRaw calls h for every message on the named topic that
	// reaches this endpoint, in the order they arrive. See [RawHandler]
	// for how long the message stays valid.
	SubscribeRaw(topic string, h RawHandler) (Subscription, error)

	// SubscribeAllRaw calls h for every message on every topic.
	SubscribeAllRaw(h RawHandler) (Subscription, error)

	// CallRaw calls the named procedure on the other end with an encoded
	// argument and returns the encoded result. A server has no single
	// other end: use server.Call, which names the client.
	CallRaw(ctx context.Context, procedure string, payload []byte) ([]byte, error)

	// HandleRaw makes h answer calls of the named procedure. There is at
	// most one handler per name and endpoint.
	HandleRaw(procedure string, h RawProcedureHandler) (Subscription, error)
}

// CallerInto is implemented by endpoints that can decode the result of a
// call into a value themselves, with their codec, straight from where it
// arrived: the result then needs no copy of its own. [Call] uses it when
// present; *client.Client implements it.
type CallerInto interface {
	// CallInto calls the named procedure on the other end as CallRaw
	// does, but decodes its result into v, a pointer. A result that does
	// not decode into v fails with a *DecodeError.
	CallInto(ctx context.Context, procedure string, payload []byte, v any) error
}

// RawHandler handles one message of the raw layer.
//
// m and its payload are valid only until the handler returns: call
// [RawMessage.Clone] to keep them. A returned error is reported through
// the endpoint's OnError callback; the connection goes on.
type RawHandler func(ctx context.Context, m RawMessage, from Peer) error

// RawProcedureHandler answers one call of the raw layer: it returns the
// encoded result, or an error that the caller receives as a [*RemoteError].
// m is valid only until the handler returns.
type RawProcedureHandler func(ctx context.Context, m RawMessage, from Peer) ([]byte, error)

// Subscription is a handler registered on an endpoint.
type Subscription interface {
	// Unsubscribe removes the handler. Messages already queued for it may
	// still be delivered while it returns; none are after. It is safe to
	// call more than once.
	Unsubscribe() error
}
