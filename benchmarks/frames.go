package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"

	"github.com/sockipc/sockipc/benchmarks/sample"
)

// The raw loops' frames: a 4-byte big-endian length, then that many bytes.
// A message frame's body is the encoded message; a call or reply frame's
// body is an 8-byte big-endian request id, then the encoded message.
const (
	bufSize  = 64 << 10 // bufio reader and writer size
	maxFrame = 1 << 20  // the largest frame a reader accepts
	idLen    = 8
)

// frameEncoder builds frames into one reused buffer.
type frameEncoder[T sample.Message] struct {
	codec frameCodec[T]
	buf   []byte
}

func newFrameEncoder[T sample.Message](c frameCodec[T]) *frameEncoder[T] {
	return &frameEncoder[T]{codec: c, buf: make([]byte, 0, 256)}
}

// msg returns the frame of message v, valid until the next call.
func (e *frameEncoder[T]) msg(v *T) ([]byte, error) {
	return e.frame(e.buf[:4], v)
}

// call returns the frame of a call or reply with request id, valid until
// the next call.
func (e *frameEncoder[T]) call(id uint64, v *T) ([]byte, error) {
	return e.frame(binary.BigEndian.AppendUint64(e.buf[:4], id), v)
}

func (e *frameEncoder[T]) frame(head []byte, v *T) ([]byte, error) {
	b, err := e.codec.appendMsg(head, v)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	binary.BigEndian.PutUint32(b, uint32(len(b)-4))
	e.buf = b
	return b, nil
}

// frameReader reads frames from a buffered connection, without copying
// them out of the read buffer when they fit in it.
type frameReader struct {
	r    *bufio.Reader
	skip int    // length of the last frame returned, still in r
	big  []byte // a frame larger than r's buffer
}

func newFrameReader(c net.Conn) *frameReader {
	return &frameReader{r: bufio.NewReaderSize(c, bufSize)}
}

// next returns the body of the next frame. It stays valid until the next
// call.
func (f *frameReader) next() ([]byte, error) {
	if f.skip > 0 {
		f.r.Discard(f.skip) // cannot fail: the bytes are buffered
		f.skip = 0
	}
	hdr, err := f.r.Peek(4)
	if err != nil {
		return nil, err
	}
	n := int(binary.BigEndian.Uint32(hdr))
	f.r.Discard(4)
	if n > maxFrame {
		return nil, fmt.Errorf("frame of %d bytes is too large", n)
	}
	if n <= f.r.Size() {
		b, err := f.r.Peek(n)
		if err != nil {
			return nil, fmt.Errorf("frame body: %w", err)
		}
		f.skip = n
		return b, nil
	}
	if cap(f.big) < n {
		f.big = make([]byte, n)
	}
	f.big = f.big[:n]
	if _, err := io.ReadFull(f.r, f.big); err != nil {
		return nil, fmt.Errorf("frame body: %w", err)
	}
	return f.big, nil
}

// ready reports whether a whole frame is buffered after the one last
// returned, so that next will not wait for the connection.
func (f *frameReader) ready() bool {
	n := f.r.Buffered() - f.skip
	if n < 4 {
		return false
	}
	hdr, _ := f.r.Peek(f.skip + 4)
	return n >= 4+int(binary.BigEndian.Uint32(hdr[f.skip:]))
}

// splitID splits a call or reply body into its request id and message.
func splitID(body []byte) (uint64, []byte, error) {
	if len(body) < idLen {
		return 0, nil, fmt.Errorf("frame of %d bytes has no request id", len(body))
	}
	return binary.BigEndian.Uint64(body), body[idLen:], nil
}
