package transport

import (
	"fmt"
	"io"
)

// Framing turns a byte stream into a sequence of messages and back.
//
// A Framing is a stateless description of a wire format, safe to share
// between any number of connections. Each connection gets its own
// [FrameReader] and [FrameWriter] from it. Two framings ship with this
// package: [LengthPrefixed] for the native protocol and [Delimited] for
// the Node.js compatibility mode.
type Framing interface {
	// NewReader returns a FrameReader that reads frames from r. Its read
	// limit starts at [DefaultMaxMessageSize].
	NewReader(r io.Reader) FrameReader
	// NewWriter returns a FrameWriter that writes frames to w.
	NewWriter(w io.Writer) FrameWriter
}

// FrameReader reads framed messages from a byte stream.
//
// ReadFrame must not be called by two goroutines at once. SetReadLimit may
// be called at any time, from any goroutine; it applies from the next
// frame on.
type FrameReader interface {
	// ReadFrame returns the next message. The returned slice may alias an
	// internal buffer and is valid only until the next call to ReadFrame.
	//
	// At a clean end of the stream, between frames, it returns [io.EOF];
	// a stream that ends inside a frame gives [io.ErrUnexpectedEOF]. A
	// frame longer than the read limit gives an error wrapping
	// [ErrFrameTooLarge], before its body is read or allocated. After an
	// error, the reader is not usable anymore.
	ReadFrame() ([]byte, error)
	// SetReadLimit sets the largest message ReadFrame accepts, in bytes.
	// A value below one restores [DefaultMaxMessageSize].
	SetReadLimit(n int)
}

// FrameWriter writes framed messages to a byte stream.
//
// Its methods must not be called by two goroutines at once.
type FrameWriter interface {
	// WriteFrame queues p as one frame. It may buffer; call Flush to hand
	// every queued frame to the underlying writer. The writer does not keep
	// p after WriteFrame returns. After a write error, every later call
	// returns that error.
	WriteFrame(p []byte) error
	// Flush writes every queued frame to the underlying writer.
	Flush() error
}

// errTooLarge reports a frame of size bytes that exceeds limit.
func errTooLarge(size uint64, limit int) error {
	return fmt.Errorf("%w: %d bytes, the read limit is %d bytes", ErrFrameTooLarge, size, limit)
}

// errNoDelimiter reports a frame whose delimiter was not found in the first
// seen bytes, which already exceeds limit.
func errNoDelimiter(seen, limit int) error {
	return fmt.Errorf("%w: no delimiter in the first %d bytes, the read limit is %d bytes",
		ErrFrameTooLarge, seen, limit)
}

// readLimit returns the effective limit for a requested one: n, or the
// default when n is not positive.
func readLimit(n int) int {
	if n < 1 {
		return DefaultMaxMessageSize
	}
	return n
}
