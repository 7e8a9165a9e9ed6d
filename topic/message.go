package topic

import (
	"bytes"
	"maps"

	"github.com/sockipc/sockipc/codec"
)

// RawMessage is a message whose payload has not been decoded yet.
type RawMessage struct {
	topic   string
	payload []byte
	codec   codec.Codec
	headers map[string]string
}

// NewRawMessage returns a message on topic with an encoded payload. It is
// for Endpoint implementations and tests; the message does not copy
// payload.
func NewRawMessage(topic string, payload []byte, c codec.Codec, headers map[string]string) RawMessage {
	return RawMessage{topic: topic, payload: payload, codec: c, headers: headers}
}

// Topic returns the name of the topic (or procedure) the message was sent on.
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
