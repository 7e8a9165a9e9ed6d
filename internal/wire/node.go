package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrInvalidPayload means a payload cannot travel in the Node.js format:
// it is not valid JSON text in valid UTF-8, or it holds a NUL byte, which
// would break the two-NUL message delimiter.
var ErrInvalidPayload = errors.New("wire: payload is not valid JSON for the node format")

// Node is the format of the Node.js library @crussell52/socket-ipc
// (v0.4.0): the JSON text of an object {"topic": ..., "message": ...}. The
// transport adds and removes the two-NUL delimiter; this format never
// writes a NUL byte.
//
// It carries only KindPublish envelopes: Append fails with an error
// wrapping [ErrUnsupportedKind] for any other kind, and Decode always gives
// KindPublish. The payload must be JSON text (the JSON codec's output): it
// becomes the value of "message" as it is, minus surrounding whitespace,
// and an empty payload leaves "message" out, which Node reads as
// undefined. A payload that is not valid JSON in valid UTF-8, or holds a
// NUL byte, fails with [ErrInvalidPayload]. ID, From, Timeout and Headers are not carried.
//
// Decode requires a JSON object in valid UTF-8 with a string "topic" (the
// empty string is a valid topic; a missing one is an error); other keys are
// ignored. Payload is the raw JSON text of "message", aliasing the input
// (the four bytes null for a JSON null), or nil when "message" is missing.
var Node Format = nodeFormat{}

type nodeFormat struct{}

func (nodeFormat) Name() string { return "node" }

func (nodeFormat) NewDecoder() Decoder { return nodeDecoder{} }

func (nodeFormat) Append(dst []byte, e *Envelope) ([]byte, error) {
	if e.Kind != KindPublish {
		return dst, fmt.Errorf("%w: %v in the node format", ErrUnsupportedKind, e.Kind)
	}
	payload := e.Payload
	if len(payload) > 0 {
		if i := bytes.IndexByte(payload, 0); i >= 0 {
			return dst, fmt.Errorf("%w: NUL byte at offset %d", ErrInvalidPayload, i)
		}
		if !json.Valid(payload) {
			return dst, fmt.Errorf("%w: not valid JSON", ErrInvalidPayload)
		}
		if !utf8.Valid(payload) { // json.Valid lets invalid UTF-8 through
			return dst, fmt.Errorf("%w: not valid UTF-8", ErrInvalidPayload)
		}
		payload = bytes.TrimSpace(payload) // safe: valid JSON ends in a token
	}
	dst = append(dst, `{"topic":`...)
	dst = appendJSONString(dst, e.Topic)
	if len(payload) > 0 {
		dst = append(dst, `,"message":`...)
		dst = append(dst, payload...)
	}
	return append(dst, '}'), nil
}
