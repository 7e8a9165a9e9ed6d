package session

import (
	"sync/atomic"
	"time"

	"github.com/sockipc/sockipc/topic"
)

// Policy is what a publish does when a peer's outbound queue is full.
type Policy uint8

// The slow-consumer policies.
const (
	Block      Policy = iota // wait for room (bounded by SlowTimeout)
	Drop                     // drop the message for this peer
	Disconnect               // disconnect the peer
)

// Counters count the traffic of a session. Frames of every kind count as
// messages. An endpoint adds up its sessions' counters.
type Counters struct {
	MsgsIn, MsgsOut   atomic.Uint64
	BytesIn, BytesOut atomic.Uint64
	Dropped           atomic.Uint64 // publishes dropped by the Drop policy
	SlowConsumers     atomic.Uint64 // peers disconnected as slow consumers
}

// dropReport reports drops through OnError at most once a second per
// session, with the number dropped since the last report.
type dropReport struct {
	since atomic.Uint64
	last  atomic.Int64 // unix nanoseconds of the last report
}

const dropReportEvery = time.Second

func (d *dropReport) record(s *Session) error {
	d.since.Add(1)
	now := time.Now().UnixNano()
	last := d.last.Load()
	if now-last >= int64(dropReportEvery) && d.last.CompareAndSwap(last, now) {
		s.cfg.OnError(&topic.SlowConsumerError{ClientID: s.cfg.Peer.ID, Reason: "its queue is full", Dropped: d.since.Swap(0)})
	}
	return &topic.SlowConsumerError{ClientID: s.cfg.Peer.ID, Reason: "its queue is full", Dropped: 1}
}

// Counters returns the session's counters.
func (s *Session) Counters() *Counters { return &s.counters }

// Add adds the values of from to c.
func (c *Counters) Add(from *Counters) {
	c.MsgsIn.Add(from.MsgsIn.Load())
	c.MsgsOut.Add(from.MsgsOut.Load())
	c.BytesIn.Add(from.BytesIn.Load())
	c.BytesOut.Add(from.BytesOut.Load())
	c.Dropped.Add(from.Dropped.Load())
	c.SlowConsumers.Add(from.SlowConsumers.Load())
}

// Stats returns the counters as topic.Stats.
func (c *Counters) Stats() topic.Stats {
	return topic.Stats{
		MsgsIn:        c.MsgsIn.Load(),
		MsgsOut:       c.MsgsOut.Load(),
		BytesIn:       c.BytesIn.Load(),
		BytesOut:      c.BytesOut.Load(),
		Dropped:       c.Dropped.Load(),
		SlowConsumers: c.SlowConsumers.Load(),
	}
}
