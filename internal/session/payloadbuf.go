package session

import "sync"

// Payload buffers. A call's request must outlive the read buffer while its
// handler runs, and its reply until the caller has decoded it; a typed
// handler needs somewhere to encode its reply. These buffers come from a
// pool and go back once used, so that a call allocates none of them.
var payloadBufs = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledPayload bounds the buffers kept: one big payload does not pin
// its memory.
const maxPooledPayload = 64 << 10

// getPayloadBuf returns an empty buffer from the pool.
func getPayloadBuf() *[]byte { return payloadBufs.Get().(*[]byte) }

// copyPayload returns a pooled copy of p.
func copyPayload(p []byte) *[]byte {
	b := getPayloadBuf()
	*b = append((*b)[:0], p...)
	return b
}

// putPayloadBuf gives b back to the pool (nil is ignored). Nothing may use
// it, or a slice of it, afterwards.
func putPayloadBuf(b *[]byte) {
	if b != nil && cap(*b) <= maxPooledPayload {
		*b = (*b)[:0]
		payloadBufs.Put(b)
	}
}
