package dispatch

import (
	"sync"
	"sync/atomic"
)

// payload is a pooled, reference-counted copy of a message payload, shared
// by the subscriptions a message is delivered to. The reader's buffer is
// reused for the next frame, so a payload that crosses to a handler
// goroutine must be copied once; pooling makes that copy allocation-free.
type payload struct {
	b    []byte
	refs atomic.Int32
}

// maxPooledPayload bounds the buffers kept in the pool, so that one large
// message does not pin its memory.
const maxPooledPayload = 64 << 10

var payloadPool = sync.Pool{New: func() any { return new(payload) }}

// newPayload returns a copy of b shared by refs holders.
func newPayload(b []byte, refs int) *payload {
	p := payloadPool.Get().(*payload)
	p.b = append(p.b[:0], b...)
	p.refs.Store(int32(refs))
	return p
}

// release drops one reference; the last one returns the buffer to the pool.
func (p *payload) release() {
	if p.refs.Add(-1) != 0 {
		return
	}
	if cap(p.b) <= maxPooledPayload {
		payloadPool.Put(p)
	}
}
