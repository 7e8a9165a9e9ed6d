package transport

import (
	"encoding/binary"
	"io"
	"sync/atomic"
)

// headerLen is the size of the length that precedes each frame.
const headerLen = 4

// LengthPrefixed is the framing of the native protocol: each message is
// preceded by its length in bytes as a 4-byte big-endian unsigned integer.
// A zero length is a valid frame and reads as an empty message. The length
// is checked against the read limit before the body is read or allocated.
var LengthPrefixed Framing = lengthPrefixed{}

type lengthPrefixed struct{}

func (lengthPrefixed) NewReader(r io.Reader) FrameReader {
	return &prefixedReader{b: readBuffer{rd: r}}
}

func (lengthPrefixed) NewWriter(w io.Writer) FrameWriter {
	return &frameWriter{w: w, prefixed: true}
}

func (lengthPrefixed) String() string { return "length-prefixed" }

type prefixedReader struct {
	b     readBuffer
	limit atomic.Int64 // as given to SetReadLimit; see readLimit
	// A frame larger than the buffer, being read straight into memory of
	// its own: big[:bigN] has arrived. Kept across a failed read, so that
	// reading resumes after a deadline.
	big  []byte
	bigN int
}

func (l *prefixedReader) SetReadLimit(n int) { l.limit.Store(int64(n)) }

// Buffered reports whether received bytes are waiting to be read.
func (l *prefixedReader) Buffered() bool { return len(l.b.buffered()) > 0 || l.big != nil }

// NextBuffered reports whether the next frame is in the buffer whole, so
// that ReadFrame returns it without reading, and so without moving the
// frames it returned before.
func (l *prefixedReader) NextBuffered() bool {
	b := l.b.buffered()
	if len(b) < headerLen || l.big != nil {
		return false
	}
	return uint64(len(b)-headerLen) >= uint64(binary.BigEndian.Uint32(b))
}

// ReadFrame returns the next frame. A frame is consumed only once it has
// arrived whole, so that after a failed read (a deadline) the next call
// starts it again.
func (l *prefixedReader) ReadFrame() ([]byte, error) {
	if l.big != nil {
		return l.readBig()
	}
	for len(l.b.buffered()) < headerLen {
		if err := l.b.fill(headerLen); err != nil {
			if err == io.EOF && len(l.b.buffered()) > 0 {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
	n := binary.BigEndian.Uint32(l.b.buffered())
	limit := readLimit(int(l.limit.Load()))
	if uint64(n) > uint64(limit) {
		return nil, errTooLarge(uint64(n), limit)
	}
	size := headerLen + int(n)
	if size > l.b.size() {
		// Read past the buffer into memory the caller may keep.
		l.b.discard(headerLen)
		l.big = make([]byte, n)
		return l.readBig()
	}
	for len(l.b.buffered()) < size {
		if err := l.b.fill(size); err != nil {
			return nil, noEOF(err)
		}
	}
	msg := l.b.buffered()[headerLen:size:size]
	l.b.discard(size)
	return msg, nil
}

// readBig reads the rest of the frame larger than the buffer.
func (l *prefixedReader) readBig() ([]byte, error) {
	var err error
	l.bigN, err = l.b.readInto(l.big, l.bigN)
	if err != nil {
		return nil, noEOF(err)
	}
	msg := l.big
	l.big, l.bigN = nil, 0
	return msg, nil
}

// noEOF turns the end of the stream inside a frame into io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
