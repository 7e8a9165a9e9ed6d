package transport

import (
	"encoding/binary"
	"errors"
)

// BatchWriter is implemented by connections that can take many messages in
// one call, already laid out as records: each record is a 4-byte
// big-endian length followed by that many bytes of message. A sender that
// keeps its outbound queue in that layout hands the whole queue over at
// once; over a length-prefixed stream, records are frames, so they go to
// the socket as they are, in one vectored write, without a copy.
type BatchWriter interface {
	Conn
	// WriteBatch writes the records in bufs, in order, after anything
	// queued by WriteMessage, and flushes. A record must not span two
	// buffers. bufs itself may be modified.
	WriteBatch(bufs [][]byte) error
}

// TryWriter is implemented by connections that can write without waiting:
// an inline writer takes what the socket accepts at once and leaves the
// rest to a writer goroutine, so a lone message goes out without a hand-off
// between goroutines.
type TryWriter interface {
	BatchWriter
	// TryWriteBatch writes as much of the records in bufs as the
	// connection takes at once, without waiting, and returns how many
	// bytes it wrote: the rest must then be written with WriteBatch,
	// before anything else. It may write a record only in part.
	TryWriteBatch(bufs [][]byte) (int, error)
}

var errBadRecord = errors.New("transport: malformed record in batch")

// WriteBatch implements [BatchWriter].
func (c *streamConn) WriteBatch(bufs [][]byte) error {
	if c.closed.Load() {
		return errClosed
	}
	if c.framing != LengthPrefixed {
		return c.writeRecords(bufs)
	}
	if err := c.w.Flush(); err != nil { // what WriteMessage queued goes first
		return c.wrap(err)
	}
	// WriteTo consumes the slice it writes from: a field, reused, so that
	// a batch allocates nothing. Only the writer role gets here.
	c.nb = append(c.nbuf[:0], bufs...)
	c.nbuf = c.nb[:0]
	_, err := c.nb.WriteTo(c.rwc)
	clear(c.nbuf[:len(bufs)])
	return c.wrap(err)
}

// writeRecords writes records one by one, in the connection's framing.
func (c *streamConn) writeRecords(bufs [][]byte) error {
	for _, b := range bufs {
		for len(b) > 0 {
			if len(b) < 4 {
				return errBadRecord
			}
			n := binary.BigEndian.Uint32(b)
			if uint64(len(b)-4) < uint64(n) {
				return errBadRecord
			}
			if err := c.w.WriteFrame(b[4 : 4+n]); err != nil {
				return c.wrap(err)
			}
			b = b[4+n:]
		}
	}
	return c.wrap(c.w.Flush())
}

// BufferedReader is implemented by connections that can tell whether data
// of the next message has already been received, so that ReadMessage
// would not wait for the peer. A session that finds nothing more to read
// runs a call's handler on its reading goroutine, handing the reading on
// to another, instead of waking a goroutine to run it.
type BufferedReader interface {
	Conn
	// Buffered reports whether received data is waiting to be read.
	Buffered() bool
}

// NextBufferedReader is implemented by connections that can tell whether
// the whole next message has been received. Reading it then neither waits
// for the peer nor moves the messages read before it, which stay valid,
// beyond what ReadMessage promises, until a ReadMessage call made while
// NextBuffered reports false. A session hands the messages that arrived
// together to their subscriptions together, straight from the buffer.
type NextBufferedReader interface {
	Conn
	// NextBuffered reports whether the next message has been received
	// whole.
	NextBuffered() bool
}

// ReadInterrupter is implemented by connections whose ReadMessage can be
// cut short from another goroutine without losing anything. A session
// lets a caller read its own reply off the connection, and interrupts the
// read when the caller's context ends.
type ReadInterrupter interface {
	Conn
	// InterruptRead makes the ReadMessage in progress, and every later one
	// until ResumeRead, return an error wrapping [ErrReadInterrupted]. What
	// had arrived stays buffered: the first ReadMessage after ResumeRead
	// returns the message that was being read. It may be called from any
	// goroutine.
	InterruptRead()
	// ResumeRead lets ReadMessage wait for the peer again.
	ResumeRead()
}

// ErrReadInterrupted is the error of a ReadMessage cut short by
// [ReadInterrupter.InterruptRead]. It does not end the connection.
var ErrReadInterrupted = errors.New("transport: read interrupted")
