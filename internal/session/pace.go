package session

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/sockipc/sockipc/internal/slab"
)

// Pacing. A publisher under the Block policy waits for room anyway when a
// queue is full; pacing makes it wait earlier, while its peer is reading,
// so that the process does not queue megabytes that no peer can take yet.
// Queued messages then cycle through a few chunks that stay in the CPU's
// caches, instead of streaming through cold memory, and the chunk pool
// recycles them all. It changes nothing for a peer that does not read: a
// paced publisher that sees no progress for paceGrace stops pacing on that
// queue until it drains, and the queue fills to its bound as usual.
const (
	// paceChunks is the process-wide budget of queued chunks beyond which
	// publishers pace: as many as the chunk pool keeps.
	paceChunks = slab.MaxFree
	// paceMin is what a queue may always hold without pacing, whatever
	// the other queues hold.
	paceMin = 256 << 10
	// paceGrace is how long a paced publisher waits for its writer to
	// make room before it concludes that the peer is not keeping up.
	paceGrace = 50 * time.Millisecond
)

// queuedChunks counts the chunks held by all the queues of the process.
var queuedChunks atomic.Int64

// overPace reports whether a publisher should pace before queueing more.
// The caller holds mu.
func (q *queue) overPace() bool {
	return q.held > paceMin && !q.paceOff && !q.closed && queuedChunks.Load() > paceChunks
}

// pace waits while the queue is over its pacing bound, until the writer
// has made enough room, ctx ends or stop is closed. After paceGrace
// without enough progress, it turns pacing off until the queue drains to
// half of paceMin.
func (q *queue) pace(ctx context.Context, stop <-chan struct{}) {
	var t *time.Timer
	defer func() {
		if t != nil {
			t.Stop()
		}
	}()
	for {
		q.mu.Lock()
		if !q.overPace() {
			q.mu.Unlock()
			return
		}
		if q.room == nil {
			q.room = make(chan struct{})
		}
		room := q.room
		q.mu.Unlock()
		if t == nil {
			t = time.NewTimer(paceGrace)
		}
		select {
		case <-room:
		case <-ctx.Done():
			return
		case <-stop:
			return
		case <-t.C:
			q.mu.Lock()
			q.paceOff = true
			q.mu.Unlock()
			return
		}
	}
}

// QueuedChunks reports how many chunks the queues of the process hold: all
// of them are given back when their sessions have ended.
func QueuedChunks() int64 { return queuedChunks.Load() }
