package transport

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// errClosed is returned by every method of a Conn after Close.
var errClosed = fmt.Errorf("transport: connection closed: %w", net.ErrClosed)

// NewStreamConn returns a Conn that carries messages over the byte stream
// rwc, such as a [net.Conn], framed by f ([LengthPrefixed] when f is nil).
// The Conn owns rwc: closing it closes rwc.
//
// The Conn is cheap while idle. Its read buffer starts at 4 KiB and grows,
// up to 64 KiB, only while reads keep filling it; a message larger than the
// buffer is read into memory of its exact size that the Conn does not keep.
// It holds no write buffer between a Flush and the next WriteMessage.
//
// After Close, every method returns an error wrapping [net.ErrClosed]. Any
// other read error, including [io.EOF] at the end of the stream, is
// returned by every later ReadMessage. SetReadLimit may be called at any
// time, from any goroutine; it applies from the next message on.
//
// Over a stream with read deadlines, such as a [net.Conn], the Conn is
// also a [ReadInterrupter].
//
// The Conn knows nothing of sockets. A transport that can tell who the peer
// is wraps it to add [CredentialsConn].
func NewStreamConn(rwc io.ReadWriteCloser, f Framing) Conn {
	if f == nil {
		f = LengthPrefixed
	}
	c := &streamConn{rwc: rwc, framing: f, r: f.NewReader(rwc), w: f.NewWriter(rwc)}
	if d, ok := rwc.(deadliner); ok {
		return interruptibleConn{c, d}
	}
	return c
}

type streamConn struct {
	rwc     io.ReadWriteCloser
	framing Framing
	rawOnce sync.Once
	raw     syscall.RawConn // set on first use, for TryWriteBatch
	try     tryWrite
	r       FrameReader
	rerr    error       // sticky read error; only the reading goroutine uses it
	halted  atomic.Bool // InterruptRead is in effect
	w       FrameWriter
	nb      net.Buffers // being written by WriteBatch
	nbuf    net.Buffers // nb's storage
	closed  atomic.Bool
}

func (c *streamConn) ReadMessage() ([]byte, error) {
	if c.closed.Load() {
		return nil, errClosed
	}
	if c.rerr != nil {
		return nil, c.rerr
	}
	p, err := c.r.ReadFrame()
	if err != nil {
		if c.halted.Load() && errors.Is(err, os.ErrDeadlineExceeded) {
			return nil, fmt.Errorf("%w (%w)", ErrReadInterrupted, err)
		}
		c.rerr = c.wrap(err)
		return nil, c.rerr
	}
	return p, nil
}

// deadliner is a stream whose reads can be cut short (a net.Conn).
type deadliner interface{ SetReadDeadline(time.Time) error }

// interruptibleConn is a streamConn over a stream with read deadlines: a
// [ReadInterrupter].
type interruptibleConn struct {
	*streamConn
	d deadliner
}

// InterruptRead implements [ReadInterrupter] by moving the stream's read
// deadline into the past.
func (c interruptibleConn) InterruptRead() {
	c.halted.Store(true)
	_ = c.d.SetReadDeadline(time.Unix(1, 0))
}

// ResumeRead implements [ReadInterrupter].
func (c interruptibleConn) ResumeRead() {
	_ = c.d.SetReadDeadline(time.Time{})
	c.halted.Store(false)
}

func (c *streamConn) WriteMessage(p []byte) error {
	if c.closed.Load() {
		return errClosed
	}
	return c.wrap(c.w.WriteFrame(p))
}

func (c *streamConn) Flush() error {
	if c.closed.Load() {
		return errClosed
	}
	return c.wrap(c.w.Flush())
}

func (c *streamConn) SetReadLimit(n int) { c.r.SetReadLimit(n) }

// Buffered implements [BufferedReader]. A framing whose reader cannot
// tell reports true: the caller must then expect more.
func (c *streamConn) Buffered() bool {
	if b, ok := c.r.(interface{ Buffered() bool }); ok {
		return b.Buffered()
	}
	return true
}

// NextBuffered implements [NextBufferedReader]. A framing whose reader
// cannot tell reports false.
func (c *streamConn) NextBuffered() bool {
	if b, ok := c.r.(interface{ NextBuffered() bool }); ok {
		return b.NextBuffered()
	}
	return false
}

// Close closes the underlying stream. Only the first call does anything.
func (c *streamConn) Close() error {
	if c.closed.Swap(true) {
		return nil
	}
	return c.rwc.Close()
}

// wrap makes an error caused by Close match net.ErrClosed, whatever the
// stream reported.
func (c *streamConn) wrap(err error) error {
	if err == nil || !c.closed.Load() || errors.Is(err, net.ErrClosed) {
		return err
	}
	return fmt.Errorf("%w (%w)", errClosed, err)
}
