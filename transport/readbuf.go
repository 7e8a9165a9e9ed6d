package transport

import (
	"errors"
	"io"
	"os"
)

// Read buffer sizing. A connection starts with a small buffer, so that
// thousands of idle connections cost little, and doubles it only while
// reads keep filling it, which is when a bigger buffer saves system calls.
// It halves again after a long run of reads that use little of it.
const (
	minReadBuffer = 4 << 10
	maxReadBuffer = 64 << 10
	growAfter     = 2  // consecutive reads that fill the buffer
	shrinkAfter   = 64 // consecutive reads that use at most an eighth of it
	maxEmptyReads = 100
)

var errInvalidRead = errors.New("transport: reader returned an invalid count")

// readBuffer is the input side shared by the framings. Unread data is
// buf[r:w]. buf is normally home, the connection's own buffer; while a
// delimited frame longer than home is read, it is a one-off larger buffer
// that is dropped once the frame has been returned.
type readBuffer struct {
	rd   io.Reader
	home []byte
	buf  []byte
	r, w int
	err  error // sticky, but for a deadline: returned once buffered data no longer suffices

	full, small int // consecutive full and small reads, for sizing home
}

// buffered returns the unread data.
func (b *readBuffer) buffered() []byte { return b.buf[b.r:b.w] }

// discard consumes n unread bytes.
func (b *readBuffer) discard(n int) { b.r += n }

// size is the capacity of the connection's own buffer.
func (b *readBuffer) size() int { return len(b.home) }

// fill reads at least one more byte into the buffer, after making room for
// need unread bytes in total; need must exceed the unread count.
func (b *readBuffer) fill(need int) error {
	if b.err != nil {
		return b.failed()
	}
	b.makeRoom(need)
	for range maxEmptyReads {
		avail := len(b.buf) - b.w
		n := b.read(b.buf[b.w:])
		b.w += n
		b.account(n, avail)
		if n > 0 {
			return nil
		}
		if b.err != nil {
			return b.failed()
		}
	}
	b.err = io.ErrNoProgress
	return b.err
}

// failed returns the read error. A deadline's is returned once only: the
// reader may read on, once the deadline is moved, from where it stopped.
func (b *readBuffer) failed() error {
	err := b.err
	if errors.Is(err, os.ErrDeadlineExceeded) {
		b.err = nil
	}
	return err
}

// readInto fills p[n:] with the unread data and then straight from the
// reader, so that a frame larger than the buffer does not pass through it.
// It returns how much of p is filled, all of it unless it fails.
func (b *readBuffer) readInto(p []byte, n int) (int, error) {
	k := copy(p[n:], b.buffered())
	b.discard(k)
	n += k
	for empty := 0; n < len(p); {
		if b.err != nil {
			return n, b.failed()
		}
		m := b.read(p[n:])
		n += m
		if m > 0 {
			empty = 0
		} else if empty++; empty == maxEmptyReads {
			b.err = io.ErrNoProgress
		}
	}
	return n, nil
}

// read calls the reader once, keeping its error for later.
func (b *readBuffer) read(p []byte) int {
	n, err := b.rd.Read(p)
	if n < 0 || n > len(p) {
		n, err = 0, errInvalidRead
	}
	if err != nil {
		b.err = err
	}
	return n
}

// makeRoom moves the unread data to the front of a buffer that can hold
// need bytes, resizing home if the sizing policy says so.
func (b *readBuffer) makeRoom(need int) {
	if b.home == nil {
		b.home = make([]byte, minReadBuffer)
		b.buf = b.home
	}
	if b.r == b.w {
		b.r, b.w = 0, 0
	}
	b.resize(need)
	switch {
	case need > len(b.buf):
		b.moveTo(make([]byte, need))
	case b.temporary() && need <= len(b.home) && b.w-b.r <= len(b.home):
		b.moveTo(b.home)
	case b.r > 0:
		b.moveTo(b.buf)
	}
}

// resize doubles or halves home when the recent reads call for it.
func (b *readBuffer) resize(need int) {
	size := len(b.home)
	switch {
	case b.temporary():
		return
	case b.full >= growAfter && size < maxReadBuffer:
		size *= 2
	case b.small >= shrinkAfter && size > minReadBuffer:
		size /= 2
	default:
		return
	}
	b.full, b.small = 0, 0
	if need > size || b.w-b.r > size {
		return
	}
	b.home = make([]byte, size)
	b.moveTo(b.home)
}

// account records whether a read of n bytes into avail free bytes filled
// the buffer or used little of it.
func (b *readBuffer) account(n, avail int) {
	switch {
	case b.temporary():
	case n == avail && 2*avail >= len(b.buf):
		b.full++
		b.small = 0
	case 8*n <= len(b.buf):
		b.small++
		b.full = 0
	default:
		b.full, b.small = 0, 0
	}
}

// temporary reports whether buf is a one-off buffer rather than home. A
// one-off buffer is only ever made larger than home.
func (b *readBuffer) temporary() bool { return len(b.buf) > len(b.home) }

// moveTo copies the unread data to the front of dst and reads from dst on.
func (b *readBuffer) moveTo(dst []byte) {
	n := copy(dst, b.buf[b.r:b.w])
	b.buf, b.r, b.w = dst, 0, n
}
