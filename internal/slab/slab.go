// Package slab recycles the byte chunks that queues copy messages into.
//
// A queue appends messages into a chunk until it is full, then takes
// another; its consumer hands whole chunks back once it is done with them.
// So queueing a message allocates nothing, and an idle queue holds nothing.
package slab

import "sync"

// Size is the capacity of a recycled chunk. Messages larger than that get a
// chunk of their own, which is not recycled.
const Size = 16 << 10

// MaxFree bounds the chunks kept for reuse, process-wide: 4 MiB.
const MaxFree = 256

// Chunk is a buffer that messages are appended to.
type Chunk struct {
	B []byte
	// N is free for the user to count what B holds; Put resets it.
	N int
}

// free is a plain free list rather than a sync.Pool: a busy process
// collects garbage often, and each collection would empty a pool, so that
// chunks would be allocated (and zeroed) again and again.
var free struct {
	sync.Mutex
	list []*Chunk
}

// Get returns an empty chunk with room for at least n bytes.
func Get(n int) *Chunk {
	if n > Size {
		return &Chunk{B: make([]byte, 0, n)}
	}
	free.Lock()
	if k := len(free.list); k > 0 {
		c := free.list[k-1]
		free.list[k-1] = nil
		free.list = free.list[:k-1]
		free.Unlock()
		return c
	}
	free.Unlock()
	return &Chunk{B: make([]byte, 0, Size)}
}

// Put gives chunks back and clears the slice.
func Put(cs []*Chunk) {
	if len(cs) == 0 {
		return
	}
	free.Lock()
	for i, c := range cs {
		if cap(c.B) == Size && len(free.list) < MaxFree {
			c.B, c.N = c.B[:0], 0
			free.list = append(free.list, c)
		}
		cs[i] = nil
	}
	free.Unlock()
}

// Tail returns the last chunk of cs if it has room for n more bytes, or
// appends a new one.
func Tail(cs *[]*Chunk, n int) *Chunk {
	if c := roomy(*cs, n); c != nil {
		return c
	}
	c := Get(n)
	*cs = append(*cs, c)
	return c
}

// roomy returns the last chunk of cs if it has room for n more bytes.
func roomy(cs []*Chunk, n int) *Chunk {
	if k := len(cs); k > 0 && cap(cs[k-1].B)-len(cs[k-1].B) >= n {
		return cs[k-1]
	}
	return nil
}

// CacheSize is how many chunks a Cache keeps, 128 KiB: a writer's batch
// (64 KiB, spread over up to 5 chunks) and room to spare. A busy queue
// holds at most that much beyond what it queues; 4 measured slower.
const CacheSize = 8

// Cache is a few chunks one queue keeps, while it is busy, for its next
// messages: chunks its producer filled before, rather than whatever chunk
// the process freed last, which another CPU's cache may hold. The zero
// Cache is empty and ready. Its user guards it.
type Cache struct{ list []*Chunk }

// Keep takes back chunks the queue's consumer is done with, up to
// CacheSize, and gives the others to the pool. It clears cs.
func (c *Cache) Keep(cs []*Chunk) {
	for i, ch := range cs {
		if len(c.list) == CacheSize {
			Put(cs[i:])
			return
		}
		if cap(ch.B) == Size {
			ch.B, ch.N = ch.B[:0], 0
			c.list = append(c.list, ch)
		}
		cs[i] = nil
	}
}

// Release gives every kept chunk to the pool, for a queue gone idle.
func (c *Cache) Release() {
	Put(c.list)
	c.list = c.list[:0]
}

// Tail is [Tail], taking a new chunk from the cache when it can.
func (c *Cache) Tail(cs *[]*Chunk, n int) *Chunk {
	if ch := roomy(*cs, n); ch != nil {
		return ch
	}
	k := len(c.list)
	if k == 0 || n > Size {
		return Tail(cs, n)
	}
	ch := c.list[k-1]
	c.list[k-1] = nil
	c.list = c.list[:k-1]
	*cs = append(*cs, ch)
	return ch
}

// Touching ahead. A chunk is filled on one CPU and read, by the writer's
// system call or a subscription's worker, on another, whose cache then
// holds its memory. Before the filling CPU writes there again, it must
// take each cache line back, and the lock it releases after each message
// waits for that, one line at a time: a round trip between the CPUs per
// message. Writing the lines a little ahead of the messages, a stretch at
// a time, takes them back together, the CPU waiting for many at once.

// touchStretch is how far ahead TouchAhead writes, and how often.
const touchStretch = 1 << 10

// TouchAhead is called after appending to c the bytes from start on: when
// they crossed into a new stretch of touchStretch bytes, it writes the
// next stretch of c's free room, which the next messages will fill.
func TouchAhead(c *Chunk, start int) {
	end := len(c.B)
	if start/touchStretch == end/touchStretch {
		return
	}
	free := c.B[end:cap(c.B)]
	clear(free[:min(len(free), touchStretch)])
}
