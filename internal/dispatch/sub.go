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
	queue chan delivery
	done  chan struct{} // closed to stop at once
	drain chan struct{} // closed to stop once the queue is empty
	once  sync.Once

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
		select {
		case d := <-s.queue:
			s.run(d)
		case <-s.drain:
			for {
				select {
				case d := <-s.queue:
					s.run(d)
				default:
					return
				}
			}
		case <-s.done:
			for {
				select {
				case d := <-s.queue:
					d.p.release()
				default:
					return
				}
			}
		}
	}
}

func (s *Sub) run(d delivery) {
	defer d.p.release()
	select {
	case <-s.done:
		return // unsubscribed or closed while queued
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
	select {
	case s.queue <- d:
		return nil
	default:
	}
	if s.r.opts.Drop {
		d.p.release()
		s.dropped(d.from)
		return nil
	}
	select {
	case s.queue <- d:
		return nil
	case <-s.done:
		d.p.release()
		return nil
	case <-ctx.Done():
		d.p.release()
		return ctx.Err()
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
