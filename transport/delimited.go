package transport

import (
	"bytes"
	"io"
	"strconv"
	"sync/atomic"
)

// NodeDelimiter ends every message in the wire format of the Node.js
// library @crussell52/socket-ipc: two NUL bytes. Use it with [Delimited]:
//
//	f := transport.Delimited([]byte(transport.NodeDelimiter))
const NodeDelimiter = "\x00\x00"

// Delimited returns a Framing that ends each message with delim.
//
// The reader splits the stream at the first occurrence of delim, the way
// JavaScript's String.prototype.split does, and returns what comes before
// it; the writer appends delim to each message. Neither looks at message
// content: a message that contains delim reads as two messages. Each
// message must fit in the read limit, or the reader fails with an error
// wrapping [ErrFrameTooLarge] as soon as limit bytes have arrived without
// a delimiter.
//
// Delimited panics if delim is empty.
func Delimited(delim []byte) Framing {
	if len(delim) == 0 {
		panic("transport: Delimited: empty delimiter")
	}
	return delimited{delim: string(delim)}
}

type delimited struct{ delim string }

func (d delimited) NewReader(r io.Reader) FrameReader {
	return &delimitedReader{b: readBuffer{rd: r}, delim: []byte(d.delim)}
}

func (d delimited) NewWriter(w io.Writer) FrameWriter {
	return &frameWriter{w: w, trailer: []byte(d.delim)}
}

func (d delimited) String() string { return "delimited(" + strconv.Quote(d.delim) + ")" }

type delimitedReader struct {
	b       readBuffer
	delim   []byte
	limit   atomic.Int64 // as given to SetReadLimit; see readLimit
	scanned int          // unread bytes known not to start a delimiter
}

func (d *delimitedReader) SetReadLimit(n int) { d.limit.Store(int64(n)) }

// Buffered reports whether received bytes are waiting to be read.
func (d *delimitedReader) Buffered() bool { return len(d.b.buffered()) > 0 }

func (d *delimitedReader) ReadFrame() ([]byte, error) {
	limit := readLimit(int(d.limit.Load()))
	for {
		data := d.b.buffered()
		if i := bytes.Index(data[d.scanned:], d.delim); i >= 0 {
			i += d.scanned
			if i > limit {
				return nil, errTooLarge(uint64(i), limit)
			}
			d.b.discard(i + len(d.delim))
			d.scanned = 0
			return data[:i:i], nil
		}
		// The last len(delim)-1 bytes may begin a delimiter; all before
		// them belongs to the message.
		body := len(data) - len(d.delim) + 1
		if body > limit {
			return nil, errNoDelimiter(len(data), limit)
		}
		d.scanned = max(body, 0)
		need := len(data) + 1
		if len(data) > 0 && len(data) == len(d.b.buf) {
			// The message outgrows the buffer: double it, up to what the
			// limit allows.
			need = min(2*len(data), limit) + len(d.delim)
		}
		if err := d.b.fill(need); err != nil {
			if err == io.EOF && len(d.b.buffered()) > 0 {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
}
