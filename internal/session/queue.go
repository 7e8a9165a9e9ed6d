package session

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sockipc/sockipc/internal/nudge"
	"github.com/sockipc/sockipc/internal/slab"
	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
)

var (
	errQueueClosed = errors.New("sockipc: connection closing")
	errQueueFull   = errors.New("sockipc: outbound queue full")
	errPaced       = errors.New("sockipc: outbound queue beyond its pacing bound")
)

// message is what a sender queues: an envelope, encoded under the queue's
// lock straight into the queue's buffer, or a body already encoded (a
// broadcast is encoded once and copied into each recipient's queue).
type message struct {
	env  wire.Envelope
	body []byte // if not nil, the encoded envelope; env is ignored
	// inline means the sender writes the queue itself right after queueing
	// (Session.writeInline), so the writer goroutine is not woken.
	inline bool
}

// callTraffic reports whether m is a call or its answer. Only these
// nudge the writer they wake: with many calls in flight the nudge made
// them 4 to 9% faster (W4 in docs/PERFORMANCE.md); for publishers it
// made no difference that could be told from the noise.
func (m *message) callTraffic() bool {
	switch m.env.Kind {
	case wire.KindRequest, wire.KindReply, wire.KindError:
		return m.body == nil
	}
	return false
}

// queue is a session's outbound queue. Messages are kept encoded, one
// after the other behind a 4-byte length, in chunks from a shared pool;
// the writer takes all the chunks at once and gives them back once
// written. So queueing allocates nothing, the queue holds about the bytes
// it counts against its bound, and an idle queue holds no memory.
type queue struct {
	mu       sync.Mutex
	format   wire.Format
	peerMax  int           // largest body the peer accepts; 0: no limit
	limit    int           // bound on held
	chunks   []*slab.Chunk // the messages queued; the last is being filled
	spare    []*slab.Chunk // the writer's last batch list, reused
	records  int           // messages queued
	held     int           // bytes queued and being written
	paceOff  bool          // pacing gave up until the queue drains (see pace)
	closed   bool          // Close: nothing more is written
	sealed   bool          // seal: what is queued is written, nothing more is taken
	pushed   uint64
	flushed  uint64
	unsent   []*slab.Chunk // what was still queued at close
	cache    slab.Cache    // written chunks kept while busy
	env      wire.Envelope // the envelope being encoded, kept here so it does not escape
	room     chan struct{} // closed when room appears; nil while nobody waits
	progress chan struct{} // closed when flushed advances; nil while nobody waits
	wake     chan struct{} // capacity 1: tells the writer there is work
}

func newQueue(format wire.Format, limit, peerMax int) *queue {
	return &queue{format: format, limit: limit, peerMax: peerMax, wake: make(chan struct{}, 1)}
}

// sizeHint is an upper bound of the encoded size of m, in most cases, so
// that encoding does not outgrow its chunk.
func sizeHint(m *message) int {
	if m.body != nil {
		return 4 + len(m.body)
	}
	n := 64 + len(m.env.Topic) + len(m.env.From) + len(m.env.Payload)
	for k, v := range m.env.Headers {
		n += 10 + len(k) + len(v)
	}
	return n
}

// put appends m if it fits. Unless force is set, a message that would take
// the queue over its bound fails with errQueueFull, except into an empty
// queue, so that no message is refused for its size alone here. The caller
// holds mu.
func (q *queue) put(m *message, force bool) error {
	if q.closed || q.sealed {
		return errQueueClosed
	}
	c := q.tail(sizeHint(m))
	b := c.B
	start := len(b)
	b = append(b, 0, 0, 0, 0)
	var err error
	if m.body != nil {
		b = append(b, m.body...)
	} else {
		q.env = m.env
		b, err = q.format.Append(b, &q.env)
		q.env = wire.Envelope{}
	}
	n := len(b) - start - 4
	switch {
	case err != nil:
		if errors.Is(err, wire.ErrUnsupportedKind) {
			err = fmt.Errorf("%w: %v", topic.ErrUnsupported, err)
		}
	case q.peerMax > 0 && n > q.peerMax:
		err = fmt.Errorf("%w: %d bytes, the peer accepts %d", topic.ErrMessageTooLarge, n, q.peerMax)
	case !force && q.held > 0 && q.held+4+n > q.limit:
		err = errQueueFull
	}
	if err != nil {
		c.B = c.B[:start]
		return err
	}
	binary.BigEndian.PutUint32(b[start:], uint32(n))
	c.B = b // it may have outgrown the chunk: then it is no longer pooled
	slab.TouchAhead(c, start)
	c.N++
	q.held += 4 + n
	q.records++
	q.pushed++
	if q.records == 1 && !m.inline {
		select {
		case q.wake <- struct{}{}:
			if m.callTraffic() {
				// Out of the next-to-run slot: the writer runs after the
				// callers and handlers already waiting, which may queue
				// more, or on an idle CPU (package nudge says why).
				nudge.Nudge()
			}
		default:
		}
	}
	return nil
}

// tail returns the chunk to append a message of about n bytes to, taking
// a new one if the last is full. The caller holds mu.
func (q *queue) tail(n int) *slab.Chunk {
	k := len(q.chunks)
	c := q.cache.Tail(&q.chunks, n)
	if len(q.chunks) > k {
		queuedChunks.Add(1)
	}
	return c
}

// tryPush queues m if there is room, or fails with errQueueFull. If paced
// is set, it fails with errPaced while the queue is beyond its pacing
// bound (see pace).
func (q *queue) tryPush(m *message, paced bool) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if paced && q.overPace() {
		return errPaced
	}
	return q.put(m, false)
}

// push queues m. While the queue is full it waits for room until ctx ends
// (ctx's error), stop is closed (errQueueClosed) or expire fires
// (errQueueFull).
func (q *queue) push(ctx context.Context, stop <-chan struct{}, expire <-chan time.Time, m *message) error {
	for {
		q.mu.Lock()
		err := q.put(m, false)
		if !errors.Is(err, errQueueFull) {
			q.mu.Unlock()
			return err
		}
		if q.room == nil {
			q.room = make(chan struct{})
		}
		room := q.room
		q.mu.Unlock()
		select {
		case <-room:
		case <-ctx.Done():
			return ctx.Err()
		case <-stop:
			return errQueueClosed
		case <-expire:
			return errQueueFull
		}
	}
}

// seal queues a last message, whatever the bound, and refuses every later
// push.
func (q *queue) seal(m *message) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if err := q.put(m, true); err != nil {
		return err
	}
	q.sealed = true
	return nil
}

// takeBytes is about the most the writer takes from the queue at once, so
// that room comes back to publishers in steps while a long queue is being
// written.
const takeBytes = 64 << 10

// take hands queued messages to the writer, about takeBytes of them: the
// chunks holding them, and their number. The writer gives the chunks back
// with written.
func (q *queue) take() ([]*slab.Chunk, int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	k, size, n := 0, 0, 0
	for k < len(q.chunks) && (k == 0 || size+len(q.chunks[k].B) <= takeBytes) {
		size += len(q.chunks[k].B)
		n += q.chunks[k].N
		k++
	}
	if k == len(q.chunks) {
		cs := q.chunks
		q.chunks, q.spare, q.records = q.spare[:0], nil, 0
		return cs, n
	}
	cs := append(q.spare[:0], q.chunks[:k]...)
	q.spare = nil
	rest := copy(q.chunks, q.chunks[k:])
	clear(q.chunks[rest:])
	q.chunks = q.chunks[:rest]
	q.records -= n
	return cs, n
}

// pending reports whether messages are waiting to be taken.
func (q *queue) pending() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.records > 0
}

// kick wakes the writer goroutine.
func (q *queue) kick() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// written gives back the room of a batch the writer has finished with,
// and its chunks.
func (q *queue) written(cs []*slab.Chunk, size int) {
	queuedChunks.Add(-int64(len(cs)))
	q.mu.Lock()
	if q.records > 0 && !q.closed {
		q.cache.Keep(cs) // busy: more messages are coming
	} else {
		slab.Put(cs)
		q.cache.Release()
	}
	if q.spare == nil {
		q.spare = cs[:0]
	}
	q.held -= size
	if q.paceOff && q.held <= paceMin/2 {
		q.paceOff = false
	}
	if q.room != nil {
		close(q.room)
		q.room = nil
	}
	q.mu.Unlock()
}

// didFlush records that the first n messages ever queued are on the wire.
func (q *queue) didFlush(n uint64) {
	q.mu.Lock()
	q.flushed = n
	if q.progress != nil {
		close(q.progress)
		q.progress = nil
	}
	q.mu.Unlock()
}

// mark returns how many messages have been queued so far.
func (q *queue) mark() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.pushed
}

// waitFlushed waits until the first n messages ever queued are flushed.
func (q *queue) waitFlushed(ctx context.Context, n uint64) error {
	for {
		q.mu.Lock()
		if q.flushed >= n {
			q.mu.Unlock()
			return nil
		}
		if q.closed {
			q.mu.Unlock()
			return errQueueClosed
		}
		if q.progress == nil {
			q.progress = make(chan struct{})
		}
		progress := q.progress
		q.mu.Unlock()
		select {
		case <-progress:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// close refuses further pushes; what is still queued is kept aside as
// unsent.
func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.cache.Release()
	queuedChunks.Add(-int64(len(q.chunks)))
	q.unsent, q.chunks, q.records = q.chunks, nil, 0
	for _, ch := range []*chan struct{}{&q.room, &q.progress} {
		if *ch != nil {
			close(*ch)
			*ch = nil
		}
	}
	q.mu.Unlock()
}

// takeUnsent returns the messages that were still queued when the queue
// closed, and forgets them.
func (q *queue) takeUnsent() []*slab.Chunk {
	q.mu.Lock()
	defer q.mu.Unlock()
	cs := q.unsent
	q.unsent = nil
	return cs
}
