package session

import (
	"sync"
	"sync/atomic"

	"github.com/sockipc/sockipc/internal/wire"
)

// Frame is one encoded envelope waiting to be written. It is pooled and
// reference-counted: a broadcast encodes one Frame and queues it on every
// recipient's session, and the last writer to finish with it recycles it.
type Frame struct {
	B    []byte
	refs atomic.Int32
}

// maxPooledFrame bounds the frames kept for reuse.
const maxPooledFrame = 64 << 10

var framePool = sync.Pool{New: func() any { return &Frame{B: make([]byte, 0, 256)} }}

// Encode encodes e with format into a new Frame holding one reference.
func Encode(format wire.Format, e *wire.Envelope) (*Frame, error) {
	f := framePool.Get().(*Frame)
	b, err := format.Append(f.B[:0], e)
	f.B = b
	f.refs.Store(1)
	if err != nil {
		f.Release()
		return nil, err
	}
	return f, nil
}

// Retain adds n references, one for each extra session the frame is
// queued on.
func (f *Frame) Retain(n int) { f.refs.Add(int32(n)) }

// Release drops one reference.
func (f *Frame) Release() {
	if f.refs.Add(-1) != 0 {
		return
	}
	if cap(f.B) <= maxPooledFrame {
		f.B = f.B[:0]
		framePool.Put(f)
	}
}

// queueOverhead is what the queue charges for a frame beyond its bytes, so
// that the bound also limits the bookkeeping of many tiny frames.
const queueOverhead = 64

// Size is what a frame counts against a queue's byte bound.
func (f *Frame) Size() int { return len(f.B) + queueOverhead }
