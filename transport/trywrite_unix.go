//go:build unix

package transport

import (
	"errors"
	"syscall"
)

// TryWriteBatch implements [TryWriter] for length-prefixed streams over a
// socket: one non-blocking write of the first buffer.
func (c *streamConn) TryWriteBatch(bufs [][]byte) (int, error) {
	if c.closed.Load() {
		return 0, errClosed
	}
	rc := c.rawConn()
	if rc == nil || c.framing != LengthPrefixed || len(bufs) == 0 {
		return 0, nil
	}
	if err := c.w.Flush(); err != nil { // what WriteMessage queued goes first
		return 0, c.wrap(err)
	}
	t := &c.try
	t.buf = bufs[0]
	err := rc.Write(t.write)
	n, werr := t.n, t.err
	*t = tryWrite{write: t.write}
	if errors.Is(werr, syscall.EAGAIN) || n < 0 {
		n, werr = 0, nil
	}
	if err == nil {
		err = werr
	}
	return n, c.wrap(err)
}

// tryWrite is the state of one non-blocking write, kept in the connection
// so that the function handed to the raw connection allocates nothing.
type tryWrite struct {
	buf   []byte
	n     int
	err   error
	write func(fd uintptr) bool // bound once to do
}

// do makes one write attempt, whatever its outcome.
func (t *tryWrite) do(fd uintptr) bool {
	t.n, t.err = syscall.Write(int(fd), t.buf)
	return true
}

// rawConn returns the stream's raw connection, if it is a socket.
func (c *streamConn) rawConn() syscall.RawConn {
	c.rawOnce.Do(func() {
		if sc, ok := c.rwc.(syscall.Conn); ok {
			c.raw, _ = sc.SyscallConn()
			c.try.write = c.try.do
		}
	})
	return c.raw
}
