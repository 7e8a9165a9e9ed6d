// Package codec turns typed Go values into the bytes that travel as a
// message's payload, and back.
//
// Every server and client has one Codec, chosen with an option; both ends of
// a connection must use the same one (the handshake checks the name).
// [MsgPack] is the default. [JSON] is there for interoperability and
// debugging. Any type that implements [Codec] can be plugged in.
package codec

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
