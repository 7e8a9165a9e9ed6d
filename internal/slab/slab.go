// Package slab recycles the byte chunks that queues copy messages into.
//
// A queue appends messages into a chunk until it is full, then takes
// another; its consumer hands whole chunks back once it is done with them.
// So queueing a message allocates nothing, and an idle queue holds nothing.
package slab

import "sync"

// Size is the capacity of a pooled chunk. Messages larger than that get a
// chunk of their own, which is not pooled.
const Size = 16 << 10

// Chunk is a buffer that messages are appended to.
type Chunk struct{ B []byte }

var pool = sync.Pool{New: func() any { return &Chunk{B: make([]byte, 0, Size)} }}

// Get returns an empty chunk with room for at least n bytes.
func Get(n int) *Chunk {
	if n > Size {
		return &Chunk{B: make([]byte, 0, n)}
	}
	return pool.Get().(*Chunk)
}

// Put gives chunks back and clears the slice.
func Put(cs []*Chunk) {
	for i, c := range cs {
		if cap(c.B) == Size {
			c.B = c.B[:0]
			pool.Put(c)
		}
		cs[i] = nil
	}
}

// Tail returns the last chunk of cs if it has room for n more bytes, or
// appends a new one.
func Tail(cs *[]*Chunk, n int) *Chunk {
	if k := len(*cs); k > 0 {
		if c := (*cs)[k-1]; cap(c.B)-len(c.B) >= n {
			return c
		}
	}
	c := Get(n)
	*cs = append(*cs, c)
	return c
}
