// Package transport moves messages between two processes.
//
// A message is an opaque byte string: this layer knows nothing of topics,
// envelopes or clients. [Conn], [Listener] and [Transport] are the
// interfaces the server and client are written against; package
// transport/unix fulfils them over unix domain sockets, and any other
// carrier (a pipe, a message broker) can too.
//
// Byte-stream carriers turn their stream into messages with a [Framing]:
// [LengthPrefixed] (the native protocol) or [Delimited] (the Node.js
// compatibility mode). [NewStreamConn] does that adaptation.
//
// Facts that only some carriers have, such as the peer's process
// credentials, are optional interfaces a Conn may also implement
// ([CredentialsConn]); callers discover them with a type assertion.
package transport

import (
	"context"
	"errors"
)

// DefaultMaxMessageSize is the read limit of a new connection: 8 MiB.
const DefaultMaxMessageSize = 8 << 20

// Conn is one message-oriented connection.
//
// ReadMessage may be called by one goroutine while another calls
// WriteMessage and Flush; neither method may be called by two goroutines at
// once. Close may be called at any time, from any goroutine, more than once.
type Conn interface {
	// ReadMessage blocks until the next message arrives and returns it.
	// The returned slice is valid only until the next call to ReadMessage.
	// A message longer than the read limit fails with an error wrapping
	// [ErrFrameTooLarge] before its body is read or allocated. Any error
	// ends the connection: the caller should Close it.
	ReadMessage() ([]byte, error)
	// WriteMessage queues p to be sent. It may buffer: call Flush to be
	// sure the message has been handed to the carrier. The Conn does not
	// keep p after WriteMessage returns.
	WriteMessage(p []byte) error
	// Flush sends every message queued by WriteMessage.
	Flush() error
	// SetReadLimit sets the largest message ReadMessage accepts, in bytes.
	SetReadLimit(n int)
	// Close closes the connection. Blocked ReadMessage and Flush calls
	// return an error.
	Close() error
}

// Listener accepts connections for a server.
type Listener interface {
	// Accept blocks until a peer connects, then returns its connection.
	// After Close, it returns an error wrapping [net.ErrClosed].
	Accept() (Conn, error)
	// Close stops accepting, and releases the address (a socket file is
	// removed). It is safe to call more than once.
	Close() error
	// Addr is the address the listener was created with.
	Addr() string
}

// Transport opens listeners and connections on some carrier.
type Transport interface {
	// Listen starts accepting connections at addr. If a live listener is
	// already there, it fails with an error wrapping [ErrAddrInUse].
	Listen(addr string) (Listener, error)
	// Dial connects to the listener at addr. ctx bounds the connection
	// attempt only, not the life of the returned Conn.
	Dial(ctx context.Context, addr string) (Conn, error)
}

// SizeLimiter is implemented by transports that cannot carry messages of
// any size, such as a message broker with a maximum payload. A server or
// client on such a transport accepts, and announces, at most that size.
type SizeLimiter interface {
	// MaxMessageSize is the largest message the transport carries, in
	// bytes.
	MaxMessageSize() int
}

// Credentials are the operating-system identity of the process at the other
// end of a local connection.
type Credentials struct {
	PID int
	UID int
	GID int
}

// CredentialsConn is implemented by connections that can tell who the peer
// process is (unix sockets on Linux, through SO_PEERCRED).
type CredentialsConn interface {
	Conn
	// PeerCredentials returns the identity of the peer process as it was
	// when the connection was made.
	PeerCredentials() (Credentials, error)
}

var (
	// ErrAddrInUse means a live listener already answers at the address.
	ErrAddrInUse = errors.New("transport: address already in use")
	// ErrFrameTooLarge means a message is longer than the read limit.
	ErrFrameTooLarge = errors.New("transport: frame too large")
)
