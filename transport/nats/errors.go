package nats

import "errors"

// Errors of the NATS transport. They are returned wrapped with details, so
// test for them with [errors.Is].
var (
	// ErrInvalidName means a listener name or subject prefix cannot be
	// used in a NATS subject: it is empty, has an empty token, or holds
	// whitespace or a wildcard character ('*' or '>').
	ErrInvalidName = errors.New("nats: invalid name")
	// ErrNoListener means Dial found nothing listening under the name:
	// the NATS server has no subscriber on its accept subject. It is the
	// counterpart of a refused connection on a socket; a client retries.
	ErrNoListener = errors.New("nats: no listener")
	// ErrNotConnected means the transport's NATS connection is down
	// (reconnecting or closed), so no connection can be made now.
	ErrNotConnected = errors.New("nats: not connected to NATS")
	// ErrDisconnected ends every connection of a transport whose NATS
	// connection stayed down for longer than the disconnect grace (see
	// [WithDisconnectGrace]), or closed for good.
	ErrDisconnected = errors.New("nats: connection to NATS lost")
	// ErrFramesLost means frames of a connection were lost and cannot be
	// sent again: the peer closed while some of what it had sent was still
	// missing. It never happens while both sides stay up.
	ErrFramesLost = errors.New("nats: frames lost")
	// ErrProtocol means the peer broke the transport's own protocol (a
	// malformed message, or more frames than the window allows).
	ErrProtocol = errors.New("nats: transport protocol error")
	// ErrRefused means a listener answered a dial with a refusal, such as
	// a full accept backlog.
	ErrRefused = errors.New("nats: connection refused by the listener")
)
