package transport

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"net"
	"sync"
)

// writeBufferSize is the size of the pooled buffer that coalesces frames.
const writeBufferSize = 64 << 10

var writeBuffers = sync.Pool{
	New: func() any {
		b := make([]byte, 0, writeBufferSize)
		return &b
	},
}

// frameWriter is the FrameWriter of both framings: an optional 4-byte
// big-endian length, the message, an optional trailer.
//
// It holds no buffer while idle. The first WriteFrame takes one from a
// pool, frames are coalesced into it and written through when it fills, and
// the Flush that empties it gives it back. A frame larger than the buffer
// is written directly, after what is queued, without copying.
type frameWriter struct {
	w        io.Writer
	prefixed bool
	trailer  []byte
	bufp     *[]byte // the pooled buffer, nil while idle
	buf      []byte  // queued bytes, backed by *bufp
	err      error   // sticky write error
}

func (fw *frameWriter) WriteFrame(p []byte) error {
	if fw.err != nil {
		return fw.err
	}
	head := 0
	if fw.prefixed {
		if uint64(len(p)) > math.MaxUint32 {
			return fmt.Errorf("%w: %d bytes do not fit a 4-byte length", ErrFrameTooLarge, len(p))
		}
		head = headerLen
	}
	size := head + len(p) + len(fw.trailer)
	if fw.bufp == nil {
		fw.bufp = writeBuffers.Get().(*[]byte)
		fw.buf = (*fw.bufp)[:0]
	}
	if len(fw.buf) > 0 && size > cap(fw.buf)-len(fw.buf) {
		if err := fw.writeBuffered(); err != nil {
			return err
		}
	}
	if size > cap(fw.buf) {
		return fw.writeThrough(p)
	}
	if fw.prefixed {
		fw.buf = binary.BigEndian.AppendUint32(fw.buf, uint32(len(p)))
	}
	fw.buf = append(fw.buf, p...)
	fw.buf = append(fw.buf, fw.trailer...)
	return nil
}

func (fw *frameWriter) Flush() error {
	if fw.err != nil {
		return fw.err
	}
	if len(fw.buf) > 0 {
		if err := fw.writeBuffered(); err != nil {
			return err
		}
	}
	fw.release()
	return nil
}

// writeThrough writes one frame without copying p, in a single vectored
// write where the writer supports it. The buffer is empty when it is called.
func (fw *frameWriter) writeThrough(p []byte) error {
	bufs := net.Buffers{p}
	if fw.prefixed {
		head := binary.BigEndian.AppendUint32(fw.buf[:0], uint32(len(p)))
		bufs = net.Buffers{head, p}
	}
	if len(fw.trailer) > 0 {
		bufs = append(bufs, fw.trailer)
	}
	_, err := bufs.WriteTo(fw.w)
	return fw.setErr(err)
}

func (fw *frameWriter) writeBuffered() error {
	n, err := fw.w.Write(fw.buf)
	if err == nil && n < len(fw.buf) {
		err = io.ErrShortWrite
	}
	fw.buf = fw.buf[:0]
	return fw.setErr(err)
}

// setErr makes a write error sticky; the queued bytes are lost with it.
func (fw *frameWriter) setErr(err error) error {
	if err != nil {
		fw.err = err
		fw.release()
	}
	return err
}

// release gives the buffer back to the pool.
func (fw *frameWriter) release() {
	if fw.bufp == nil {
		return
	}
	*fw.bufp = fw.buf[:0]
	writeBuffers.Put(fw.bufp)
	fw.bufp, fw.buf = nil, nil
}
