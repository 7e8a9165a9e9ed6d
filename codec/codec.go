// Package codec turns typed Go values into the bytes that travel as a
// message's payload, and back.
//
// Every server and client has one Codec, chosen with an option; both ends of
// a connection must use the same one (the handshake checks the name).
// [MsgPack] is the default. [JSON] is there for interoperability and
// debugging. Any type that implements [Codec] can be plugged in; one that
// also implements [Appender] or [UnmarshalerMaker] saves a copy per
// encoded message, or a pooled decoder per decoded one.
package codec

import "errors"

// Codec encodes and decodes message payloads.
//
// A Codec must be safe for concurrent use by multiple goroutines.
type Codec interface {
	// Name identifies the encoding in the connection handshake, such as
	// "msgpack" or "json". Two peers talk only if their names are equal.
	Name() string
	// Marshal returns the encoding of v.
	Marshal(v any) ([]byte, error)
	// Unmarshal decodes data into the value pointed to by v. It must not
	// keep data after it returns: the caller may reuse it.
	Unmarshal(data []byte, v any) error
}

// Appender is implemented by codecs that can encode onto the end of an
// existing buffer, which saves an allocation and a copy per message. The
// library uses it when present; Marshal stays the reference behaviour.
type Appender interface {
	// AppendMarshal appends the encoding of v to dst and returns the
	// extended buffer.
	AppendMarshal(dst []byte, v any) ([]byte, error)
}

// Unmarshaler decodes payloads, as a Codec's Unmarshal does.
type Unmarshaler interface {
	// Unmarshal decodes data into the value pointed to by v, with the same
	// contract as [Codec]'s.
	Unmarshal(data []byte, v any) error
}

// UnmarshalerMaker is implemented by codecs that decode faster with a
// decoder of their own than through Unmarshal, which is shared by every
// goroutine and so must take its decoder from a pool for each call. The
// library asks for one for each subscription, whose handler decodes one
// message at a time.
type UnmarshalerMaker interface {
	// NewUnmarshaler returns a decoder for one goroutine at a time: it
	// need not be safe for concurrent use.
	NewUnmarshaler() Unmarshaler
}

// NewUnmarshaler returns a decoder of c's for one goroutine at a time:
// c's own if it is an [UnmarshalerMaker], else c itself.
func NewUnmarshaler(c Codec) Unmarshaler {
	if m, ok := c.(UnmarshalerMaker); ok {
		return m.NewUnmarshaler()
	}
	return c
}

// ErrMalformed is the error, wrapped with what is wrong, of a payload that
// is not well-formed data of its codec, as [MsgPack] checks before
// decoding. Use errors.Is to test for it.
var ErrMalformed = errors.New("codec: malformed payload")
