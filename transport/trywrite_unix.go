//go:build unix

package transport

import (
	"errors"
	"syscall"
	"unsafe"
)

// TryWriteBatch implements [TryWriter] for length-prefixed streams over a
// socket: one non-blocking write of all the buffers (writev).
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
	t.bufs = bufs
	err := rc.Write(t.write)
	n, werr := t.n, t.err
	*t = tryWrite{write: t.write, iov: t.iov[:0]}
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
	bufs  [][]byte
	iov   []syscall.Iovec // writev's, reused
	n     int
	err   error
	write func(fd uintptr) bool // bound once to do
}

// maxIovecs is the most buffers one writev takes (IOV_MAX on Linux); the
// rest is written next time.
const maxIovecs = 1024

// do makes one write attempt, whatever its outcome.
func (t *tryWrite) do(fd uintptr) bool {
	if len(t.bufs) == 1 {
		t.n, t.err = syscall.Write(int(fd), t.bufs[0])
		return true
	}
	for _, b := range t.bufs[:min(len(t.bufs), maxIovecs)] {
		if len(b) == 0 {
			continue
		}
		v := syscall.Iovec{Base: &b[0]}
		v.SetLen(len(b))
		t.iov = append(t.iov, v)
	}
	if len(t.iov) == 0 {
		return true
	}
	r, _, errno := syscall.Syscall(syscall.SYS_WRITEV, fd, uintptr(unsafe.Pointer(&t.iov[0])), uintptr(len(t.iov)))
	t.n = int(r)
	if errno != 0 {
		t.n, t.err = -1, errno
	}
	clear(t.iov) // keeps no buffer alive
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
