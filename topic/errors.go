package topic

import (
	"errors"
	"fmt"
)

// Errors of the messaging API. Compare with errors.Is: the errors returned
// wrap these with details.
var (
	// ErrClosed is returned by operations on a server or client after its
	// Close (or Shutdown) began.
	ErrClosed = errors.New("sockipc: closed")
	// ErrNotConnected is returned when a client sends while it has no
	// connection to its server (before Connect, or while reconnecting).
	ErrNotConnected = errors.New("sockipc: not connected")
	// ErrUnknownClient is returned when a server sends to or calls a
	// client id that is not connected.
	ErrUnknownClient = errors.New("sockipc: unknown client")
	// ErrMessageTooLarge is returned, before anything is written, when a
	// message is larger than the receiving side accepts.
	ErrMessageTooLarge = errors.New("sockipc: message too large")
	// ErrIncompatible is returned by Connect when the server refuses the
	// handshake because the two sides cannot talk (protocol version or
	// codec differ). It is not retried.
	ErrIncompatible = errors.New("sockipc: incompatible peer")
	// ErrUnauthorized is returned by Connect when the server's authorize
	// hook refused the client. It is not retried.
	ErrUnauthorized = errors.New("sockipc: unauthorized")
	// ErrRetryLimit is returned by Connect, and reported by a client that
	// gives up reconnecting, when the retry limit is reached.
	ErrRetryLimit = errors.New("sockipc: retry limit reached")
	// ErrNoHandler is returned by Call when the other side has no handler
	// for the procedure.
	ErrNoHandler = errors.New("sockipc: no handler")
	// ErrConnectionLost is returned by a Call in flight when its
	// connection ends before the reply arrives.
	ErrConnectionLost = errors.New("sockipc: connection lost")
	// ErrUnsupported is returned for a feature the connection's protocol
	// does not have (RPC in the Node.js compatibility mode).
	ErrUnsupported = errors.New("sockipc: not supported by this protocol")
	// ErrSlowConsumer is wrapped by a *SlowConsumerError: a client did not
	// read its messages fast enough.
	ErrSlowConsumer = errors.New("sockipc: slow consumer")
	// ErrReconnectBufferFull is returned by a publish made while the client
	// is reconnecting, when its reconnect buffer has no room left.
	ErrReconnectBufferFull = errors.New("sockipc: reconnect buffer full")
	// ErrPeerUnresponsive ends a connection whose peer did not answer
	// keepalive pings in time.
	ErrPeerUnresponsive = errors.New("sockipc: peer unresponsive")
	// ErrAlreadyRegistered is returned by Handle when the procedure
	// already has a handler on that endpoint.
	ErrAlreadyRegistered = errors.New("sockipc: procedure already has a handler")
)

// EncodeError reports a value that the codec could not encode.
type EncodeError struct {
	Topic    string // topic or procedure name
	ClientID string // the client it was for, if one
	Err      error  // the codec's error
}

// Error describes the failure with its topic and client.
func (e *EncodeError) Error() string {
	return fmt.Sprintf("sockipc: encode %s%s: %v", e.Topic, forClient(e.ClientID), e.Err)
}

// Unwrap returns the codec's error.
func (e *EncodeError) Unwrap() error { return e.Err }

// DecodeError reports a payload that could not be decoded into the type the
// receiver expects, or a message that is not valid at all.
type DecodeError struct {
	Topic    string // topic or procedure name, if known
	ClientID string // the sender's id (ServerID on a client), if known
	Err      error  // the codec's or the protocol's error
}

// Error describes the failure with its topic and sender.
func (e *DecodeError) Error() string {
	what := "message"
	if e.Topic != "" {
		what = e.Topic
	}
	return fmt.Sprintf("sockipc: decode %s%s: %v", what, fromClient(e.ClientID), e.Err)
}

// Unwrap returns the codec's or the protocol's error.
func (e *DecodeError) Unwrap() error { return e.Err }

func forClient(id string) string {
	if id == "" {
		return ""
	}
	return " for " + id
}

func fromClient(id string) string {
	if id == "" {
		return ""
	}
	return " from " + id
}

// SlowConsumerError reports a client that does not read its messages as
// fast as they are sent to it: its outbound queue on the server is full.
// Depending on the server's policy, messages for it were dropped, or it was
// disconnected. errors.Is(err, ErrSlowConsumer) is true.
type SlowConsumerError struct {
	ClientID string
	Reason   string
	// Dropped is the number of messages dropped for the client since the
	// last report (Drop policy); 0 when the client was disconnected.
	Dropped uint64
}

// Error says which client, and what was done about it.
func (e *SlowConsumerError) Error() string {
	if e.Dropped > 0 {
		return fmt.Sprintf("sockipc: slow consumer %s: %d message(s) dropped: %s", e.ClientID, e.Dropped, e.Reason)
	}
	return fmt.Sprintf("sockipc: slow consumer %s disconnected: %s", e.ClientID, e.Reason)
}

// Unwrap returns ErrSlowConsumer.
func (e *SlowConsumerError) Unwrap() error { return ErrSlowConsumer }
