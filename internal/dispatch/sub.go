package dispatch

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

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
	// so a burst costs one wake-up, not one per message.
	mu      sync.Mutex
	pending []delivery
	spare   []delivery
	wake    chan struct{} // capacity 1: there is work
	room    chan struct{} // closed when the worker empties the queue; nil while nobody waits

	drainOnce sync.Once
	drops     atomic.Uint64 // since the last report
	lastDrop  atomic.Int64  // unix nanoseconds of the last report
}

// delivery is one message waiting in a subscription's queue.
type delivery struct {
	topic   string
	p       *payload
	headers map[string]string
	from    topic.Peer
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
		batch := s.take()
		if len(batch) == 0 {
			select {
			case <-s.wake:
				continue
			case <-s.done:
			case <-s.drain:
				if batch = s.take(); len(batch) > 0 {
					s.runAll(batch)
					continue
				}
			}
			s.dropQueued()
			return
		}
		s.runAll(batch)
	}
}

// take empties the queue into a batch for the worker.
func (s *Sub) take() []delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	batch := s.pending
	s.pending, s.spare = s.spare[:0], nil
	if s.room != nil {
		close(s.room)
		s.room = nil
	}
	return batch
}

// runAll handles a batch, then keeps its storage for the next one.
func (s *Sub) runAll(batch []delivery) {
	for i := range batch {
		s.run(batch[i])
		batch[i] = delivery{}
	}
	s.mu.Lock()
	if s.spare == nil {
		s.spare = batch[:0]
	}
	s.mu.Unlock()
}

// run handles one message, unless the subscription stopped meanwhile.
func (s *Sub) run(d delivery) {
	defer d.p.release()
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
	m := topic.NewRawMessage(topic.KindMessage, d.topic, d.p.b, s.r.opts.Codec, d.headers)
	if err := s.h(topic.NewIncomingContext(s.r.ctx, d.headers), m, d.from); err != nil {
		s.r.opts.OnError(err)
	}
}

// dropQueued releases what is still queued when the subscription stops.
func (s *Sub) dropQueued() {
	for _, d := range s.take() {
		d.p.release()
	}
}

// Deliver hands a message to every subscription of its topic and to every
// catch-all, copying the payload once. It blocks while a subscription's
// queue is full (backpressure on the sender), until ctx ends. It reports
// whether any subscription took the message.
func (r *Registry) Deliver(ctx context.Context, name string, body []byte, headers map[string]string, from topic.Peer) (bool, error) {
	r.mu.RLock()
	subs, all := r.topics[name], r.all
	r.mu.RUnlock()
	n := len(subs) + len(all)
	if n == 0 {
		return false, nil
	}
	p := newPayload(body, n)
	d := delivery{topic: name, p: p, headers: headers, from: from}
	var err error
	for _, list := range [2][]*Sub{subs, all} {
		for _, s := range list {
			if err != nil {
				p.release()
				continue
			}
			err = s.enqueue(ctx, d)
		}
	}
	return true, err
}

func (s *Sub) enqueue(ctx context.Context, d delivery) error {
	for {
		s.mu.Lock()
		select {
		case <-s.done:
			s.mu.Unlock()
			d.p.release()
			return nil
		default:
		}
		if len(s.pending) < s.r.opts.QueueLen {
			s.pending = append(s.pending, d)
			first := len(s.pending) == 1
			s.mu.Unlock()
			if first {
				select {
				case s.wake <- struct{}{}:
				default:
				}
			}
			return nil
		}
		if s.r.opts.Drop {
			s.mu.Unlock()
			d.p.release()
			s.dropped(d.from)
			return nil
		}
		if s.room == nil {
			s.room = make(chan struct{})
		}
		room := s.room
		s.mu.Unlock()
		select {
		case <-room:
		case <-s.done:
			d.p.release()
			return nil
		case <-ctx.Done():
			d.p.release()
			return ctx.Err()
		}
	}
}

// dropped counts a message dropped for a full queue and reports drops at
// most once a second.
func (s *Sub) dropped(from topic.Peer) {
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
