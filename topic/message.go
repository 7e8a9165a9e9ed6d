package topic

import (
	"bytes"
	"maps"

	"github.com/sockipc/sockipc/codec"
)

// RawMessage is a message, or the argument of a call, whose payload has not
// been decoded yet.
type RawMessage struct {
	kind    Kind
	topic   string
	payload []byte
	codec   codec.Codec
	headers map[string]string
}

// Kind tells a published message from a call.
type Kind uint8

// The kinds of RawMessage.
const (
	KindMessage Kind = 1 // a message published on a topic
	KindCall    Kind = 2 // the argument of a call of a procedure
)

// String returns "message" or "call".
func (k Kind) String() string {
	switch k {
	case KindMessage:
		return "message"
	case KindCall:
		return "call"
	}
	return "unknown"
}

// NewRawMessage returns a message of the given kind on topic (or to
// procedure) with an encoded payload. It is for Endpoint implementations
// and tests; the message does not copy payload.
func NewRawMessage(kind Kind, topic string, payload []byte, c codec.Codec, headers map[string]string) RawMessage {
	return RawMessage{kind: kind, topic: topic, payload: payload, codec: c, headers: headers}
}

// Kind tells whether m is a published message or the argument of a call.
func (m RawMessage) Kind() Kind { return m.kind }

// Topic returns the name of the topic the message was published on, or of
// the procedure called.
func (m RawMessage) Topic() string { return m.topic }

// Payload returns the encoded payload. Do not modify it.
func (m RawMessage) Payload() []byte { return m.payload }

// Headers returns the message's metadata, or nil if it has none. Do not
// modify it.
func (m RawMessage) Headers() map[string]string { return m.headers }

// Codec returns the codec the payload is encoded with.
func (m RawMessage) Codec() codec.Codec { return m.codec }

// Decode decodes the payload into the value pointed to by v.
func (m RawMessage) Decode(v any) error {
	return m.codec.Unmarshal(m.payload, v)
}

// Clone returns a copy of m that stays valid after the handler that
// received m returns.
func (m RawMessage) Clone() RawMessage {
	m.payload = bytes.Clone(m.payload)
	m.headers = maps.Clone(m.headers)
	return m
}
