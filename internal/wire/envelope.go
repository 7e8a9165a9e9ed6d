// Package wire encodes and decodes what travels inside a transport message:
// the envelope of every message and the handshake payloads. The rules are
// written in docs/PROTOCOL.md; golden frames in testdata pin them byte for
// byte.
//
// Two formats exist: [Native] (a MessagePack array, hand-encoded without
// reflection or per-message allocation) and [Node] (the JSON object of the
// Node.js library @crussell52/socket-ipc, publish only).
package wire

import (
	"errors"
	"time"
)

// Version is the native protocol version this package speaks.
const Version = 1

// Kind says what an envelope is for.
type Kind uint8

// The kinds of the native protocol. Their numbers are part of the protocol.
const (
	KindHello       Kind = 1  // client → server, first frame: Payload is a [Hello]
	KindWelcome     Kind = 2  // server → client, handshake accepted: Payload is a [Welcome]
	KindReject      Kind = 3  // server → client, handshake refused: Payload is a [Status]; then close
	KindPublish     Kind = 4  // a message on Topic; From names the original sender when relayed
	KindSubscribe   Kind = 5  // client → server: deliver Topic to me ("" means every topic); ID > 0 asks for an Ack
	KindUnsubscribe Kind = 6  // client → server: stop delivering Topic; ID > 0 asks for an Ack
	KindAck         Kind = 7  // server → client: the Subscribe/Unsubscribe with this ID took effect
	KindRequest     Kind = 8  // a call of procedure Topic, request ID, Timeout left, payload = argument
	KindReply       Kind = 9  // the successful result of request ID
	KindError       Kind = 10 // the failure of request ID: Payload is a [Status]
	KindCancel      Kind = 11 // the caller gave up on request ID
	KindPing        Kind = 12 // keepalive probe; the peer answers with a Pong with the same ID
	KindPong        Kind = 13 // keepalive answer
	KindGoAway      Kind = 14 // server → client: the server is shutting down; reconnect later
)

// Envelope is one decoded message of either format.
type Envelope struct {
	Kind Kind
	// ID is the request id of Request/Reply/Error/Cancel, the ack id of
	// Subscribe/Unsubscribe/Ack, the probe id of Ping/Pong; 0 otherwise.
	ID uint64
	// Topic is the topic of a Publish or Subscribe, the procedure of a
	// Request.
	Topic string
	// From is, on a message the server forwards, the id of the client that
	// sent it first. Empty otherwise.
	From string
	// Timeout is, on a Request, the time the caller still waits; 0 means
	// no deadline.
	Timeout time.Duration
	// Headers are optional metadata; nil when absent.
	Headers map[string]string
	// Payload is the codec's encoding of the value, carried raw. After a
	// decode it aliases the decoded buffer.
	Payload []byte
}

// Format is an envelope encoding.
type Format interface {
	// Name identifies the format in errors and logs.
	Name() string
	// Append appends the encoding of e to dst. It fails only for envelopes
	// the format cannot express (ErrUnsupportedKind).
	Append(dst []byte, e *Envelope) ([]byte, error)
	// NewDecoder returns a decoder for one connection. It may keep state,
	// such as interned topic names, between calls.
	NewDecoder() Decoder
}

// Decoder decodes envelopes of one connection. It is not safe for
// concurrent use.
type Decoder interface {
	// Decode fills e from b. e.Payload aliases b. Errors wrap ErrMalformed.
	Decode(b []byte, e *Envelope) error
}

var (
	// ErrMalformed means a message is not a valid envelope or handshake.
	ErrMalformed = errors.New("wire: malformed message")
	// ErrUnsupportedKind means the format cannot carry this kind of
	// envelope (the Node.js format carries only Publish).
	ErrUnsupportedKind = errors.New("wire: kind not supported by this format")
)

// Hello is the client's first message in the native protocol.
type Hello struct {
	Version int    // protocol version the client speaks
	Codec   string // codec.Codec.Name() of the client
	MaxSize int    // largest message the client accepts, in bytes
	Name    string // optional name the client gives itself
	// Subs lists the topics the client subscribes to; "" means every topic.
	Subs []string
}

// Welcome is the server's answer to an accepted Hello.
type Welcome struct {
	Version  int           // protocol version the server speaks
	ClientID string        // the id the server assigned to the client
	MaxSize  int           // largest message the server accepts, in bytes
	Ping     time.Duration // keepalive interval the server uses; 0 if none
}

// Status is the payload of Reject and Error: a code and a message.
type Status struct {
	Code    string
	Message string
}

// Reject and RemoteError codes the protocol itself uses.
const (
	CodeVersion      = "version"      // Reject: unsupported protocol version
	CodeCodec        = "codec"        // Reject: codec names differ
	CodeUnauthorized = "unauthorized" // Reject: the server's authorize hook refused
	CodeProtocol     = "protocol"     // Reject: the first frame was not a valid Hello
	CodeNoHandler    = "no_handler"   // Error: no handler for the procedure
	CodeInternal     = "internal"     // Error: the handler panicked
	CodeCanceled     = "canceled"     // Error: the handler's context was cancelled
	CodeDeadline     = "deadline"     // Error: the handler's deadline passed
)
