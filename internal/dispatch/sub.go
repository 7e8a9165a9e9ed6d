package dispatch

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sockipc/sockipc/internal/slab"
	"github.com/sockipc/sockipc/topic"
)

// Sub is one subscription: a handler with its own queue and goroutine, so a
// slow handler delays only its own messages, never the connection's reader
// beyond its queue, nor other subscriptions.
type Sub struct {
	r     *Registry
	name  string
	all   bool
	h     topic.RawHandler
	done  chan struct{} // closed to stop at once
	drain chan struct{} // closed to stop once the queue is empty
	once  sync.Once

	// The queue: the reader appends, the worker takes everything at once,
	// so a burst costs one wake-up, not one per message. The padding keeps
	// what the reader writes for every message off the cache lines of the
	// fields above, which the worker reads for every message.
	_       [128]byte
	mu      sync.Mutex
	pending []delivery
	chunks  []*slab.Chunk // the pending payloads are copied into these
	cache   slab.Cache    // chunks handled, kept while busy
	// The storage of the worker's last batch, for the next messages.
	spare       []delivery
	spareChunks []*slab.Chunk
	wake        chan struct{} // capacity 1: there is work
	room        chan struct{} // closed when the worker empties the queue; nil while nobody waits
	_           [128]byte

	drainOnce sync.Once
	drops     atomic.Uint64 // since the last report
	lastDrop  atomic.Int64  // unix nanoseconds of the last report
}

// delivery is one message waiting in a subscription's queue. Its payload
// is a copy, in one of the queue's chunks: the reader's buffer is reused
// for the next frame.
type delivery struct {
	topic   string
	payload []byte
	headers map[string]string
	from    *topic.Peer // shared by the messages of a connection
}

// OnRemove, if set before the first Unsubscribe, is called with whether the
// subscription was the last of its name; clients use it to tell their
// server. Its error is returned by Unsubscribe.
type OnRemove func(name string, all, last bool) error

// Unsubscribe stops the subscription. It does not wait for a handler call
// in progress, so a handler may unsubscribe itself.
func (s *Sub) Unsubscribe() error { return s.UnsubscribeThen(nil) }

// UnsubscribeThen stops the subscription, then calls then (if not nil)
// with whether it was the last of its name, and returns its error.
func (s *Sub) UnsubscribeThen(then OnRemove) error {
	var err error
	s.once.Do(func() {
		last := s.r.remove(s)
		close(s.done)
		if then != nil {
			err = then(s.name, s.all, last)
		}
	})
	return err
}

// stop ends the subscription's goroutine without touching the registry.
func (s *Sub) stop() {
	s.once.Do(func() { close(s.done) })
}

func (s *Sub) work() {
	defer s.r.exited()
	for {
		batch, chunks := s.take()
		if len(batch) == 0 {
			select {
			case <-s.wake:
				continue
			case <-s.done:
			case <-s.drain:
				if batch, chunks = s.take(); len(batch) > 0 {
					s.runAll(batch, chunks)
					continue
				}
			}
			s.take()
			s.mu.Lock()
			s.cache.Release()
			s.mu.Unlock()
			return
		}
		s.runAll(batch, chunks)
	}
}

// take empties the queue into a batch for the worker, with the chunks
// holding its payloads.
func (s *Sub) take() ([]delivery, []*slab.Chunk) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 {
		// Keep the queue's storage: handing it over empty would drop it,
		// and the reader would grow a new one from nothing.
		return nil, nil
	}
	batch, chunks := s.pending, s.chunks
	s.pending, s.spare = s.spare[:0], nil
	s.chunks, s.spareChunks = s.spareChunks[:0], nil
	if s.room != nil {
		close(s.room)
		s.room = nil
	}
	return batch, chunks
}

// runAll handles a batch, then recycles its chunks and keeps its storage
// for the next one.
func (s *Sub) runAll(batch []delivery, chunks []*slab.Chunk) {
	for i := range batch {
		s.run(&batch[i])
		batch[i] = delivery{}
	}
	s.mu.Lock()
	if len(s.pending) > 0 {
		s.cache.Keep(chunks) // busy: more messages are coming
	} else {
		slab.Put(chunks)
		s.cache.Release()
	}
	if s.spare == nil {
		s.spare, s.spareChunks = batch[:0], chunks[:0]
	}
	s.mu.Unlock()
}

// run handles one message, unless the subscription stopped meanwhile.
func (s *Sub) run(d *delivery) {
	select {
	case <-s.done:
		return
	default:
	}
	defer func() {
		if v := recover(); v != nil {
			s.r.opts.OnError(fmt.Errorf("sockipc: handler for %q panicked: %v", d.topic, v))
		}
	}()
	m := topic.NewRawMessage(topic.KindMessage, d.topic, d.payload, s.r.opts.Codec, d.headers)
	if err := s.h(topic.NewIncomingContext(s.r.ctx, d.headers), m, *d.from); err != nil {
		s.r.opts.OnError(err)
	}
}

// Message is a message for DeliverAll. Body and Headers are copied or
// kept as Deliver's are.
type Message struct {
	Topic   string
	Body    []byte
	Headers map[string]string
	From    *topic.Peer
}

// DeliverAll delivers msgs as Deliver would deliver them one after the
// other, but taking each subscription's lock once for a run of messages
// on the same topic: the messages that arrived together on a connection
// reach their subscriptions together.
func (r *Registry) DeliverAll(ctx context.Context, msgs []Message) error {
	rt := r.routes.Load()
	for len(msgs) > 0 {
		k := 1
		for k < len(msgs) && msgs[k].Topic == msgs[0].Topic {
			k++
		}
		for _, list := range [2][]*Sub{rt.topics[msgs[0].Topic], rt.all} {
			for _, s := range list {
				if err := s.enqueueAll(ctx, msgs[:k]); err != nil {
					return err
				}
			}
		}
		msgs = msgs[k:]
	}
	return nil
}

// Deliver hands a message to every subscription of its topic and to every
// catch-all, each taking its own copy of the payload. It blocks while a
// subscription's queue is full (backpressure on the sender), until ctx
// ends, unless the registry drops instead. *from must not change until
// the message's handlers have run.
func (r *Registry) Deliver(ctx context.Context, name string, body []byte, headers map[string]string, from *topic.Peer) error {
	msg := [1]Message{{Topic: name, Body: body, Headers: headers, From: from}}
	return r.DeliverAll(ctx, msg[:])
}

// enqueueAll queues msgs, which all go to s, in order, taking the lock
// once for as many as there is room for. While the queue is full, it
// waits for room (backpressure on the sender) until ctx ends, or, if the
// registry drops, drops the next message and tries again.
func (s *Sub) enqueueAll(ctx context.Context, msgs []Message) error {
	for len(msgs) > 0 {
		s.mu.Lock()
		select {
		case <-s.done:
			s.mu.Unlock()
			return nil
		default:
		}
		if room := s.r.opts.QueueLen - len(s.pending); room > 0 {
			first := len(s.pending) == 0
			k := min(room, len(msgs))
			for i := range msgs[:k] {
				m := &msgs[i]
				c := s.cache.Tail(&s.chunks, len(m.Body))
				start := len(c.B)
				c.B = append(c.B, m.Body...)
				slab.TouchAhead(c, start)
				s.pending = append(s.pending, delivery{topic: m.Topic, payload: c.B[start:len(c.B):len(c.B)], headers: m.Headers, from: m.From})
			}
			s.mu.Unlock()
			if first {
				select {
				case s.wake <- struct{}{}:
				default:
				}
			}
			msgs = msgs[k:]
			continue
		}
		if s.r.opts.Drop {
			// One at a time, as they would have come: the worker may make
			// room for the next meanwhile.
			s.mu.Unlock()
			s.dropped()
			msgs = msgs[1:]
			continue
		}
		if s.room == nil {
			s.room = make(chan struct{})
		}
		room := s.room
		s.mu.Unlock()
		select {
		case <-room:
		case <-s.done:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// dropped counts a message dropped for a full queue and reports drops at
// most once a second.
func (s *Sub) dropped() {
	s.r.dropped.Add(1)
	s.drops.Add(1)
	now := time.Now().UnixNano()
	last := s.lastDrop.Load()
	if now-last >= int64(time.Second) && s.lastDrop.CompareAndSwap(last, now) {
		what := fmt.Sprintf("subscription to %q", s.name)
		if s.all {
			what = "catch-all subscription"
		}
		s.r.opts.OnError(fmt.Errorf("%w: %s: %d message(s) dropped, its queue is full",
			topic.ErrSlowConsumer, what, s.drops.Swap(0)))
	}
}
