// Package dispatch holds an endpoint's local handlers (subscriptions and
// procedures) and delivers inbound messages to them. Server and client
// each have one Registry, shared by all their connections.
package dispatch

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/sockipc/sockipc/codec"
	"github.com/sockipc/sockipc/topic"
)

// DefaultQueueLen is the number of messages a subscription holds while its
// handler is busy, unless Options say otherwise.
const DefaultQueueLen = 1024

// Options configure a Registry.
type Options struct {
	// Codec is the codec of the payloads, handed to handlers.
	Codec codec.Codec
	// QueueLen is the capacity of each subscription's queue.
	QueueLen int
	// Drop makes a message for a subscription whose queue is full dropped
	// (and counted, and reported) rather than waited for.
	Drop bool
	// OnError receives the errors handlers return and the panics they
	// raise.
	OnError func(error)
}

// Registry is the set of local handlers of one endpoint.
type Registry struct {
	ctx  context.Context // the handlers' context, cancelled by Close
	stop context.CancelFunc
	opts Options

	mu     sync.RWMutex
	topics map[string][]*Sub // copy on write: readers keep a slice without locking
	all    []*Sub            // catch-all subscriptions, copy on write
	procs  map[string]topic.RawProcedureHandler
	closed bool

	live     int           // running subscription goroutines, guarded by mu
	allDone  chan struct{} // closed when live drops to 0; nil while nobody waits
	draining bool
	dropped  atomic.Uint64

	routes atomic.Pointer[routes]

	// The worker pool changes with every call handled; the padding keeps
	// it off the lines read for every message.
	_       [128]byte
	workers workers
	_       [128]byte
}

// New returns an empty registry.
func New(opts Options) *Registry {
	if opts.QueueLen <= 0 {
		opts.QueueLen = DefaultQueueLen
	}
	if opts.OnError == nil {
		opts.OnError = func(error) {}
	}
	ctx, stop := context.WithCancel(context.Background())
	r := &Registry{
		ctx:    ctx,
		stop:   stop,
		opts:   opts,
		topics: make(map[string][]*Sub),
		procs:  make(map[string]topic.RawProcedureHandler),
	}
	r.routes.Store(&routes{})
	return r
}

// Context returns the context handlers run with; it ends at Close.
func (r *Registry) Context() context.Context { return r.ctx }

// Subscribe adds a handler for name, or for every topic if all is set.
// first reports whether it is the first subscription to that name (or the
// first catch-all), which a client must announce to its server.
func (r *Registry) Subscribe(name string, all bool, h topic.RawHandler) (s *Sub, first bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, false, topic.ErrClosed
	}
	s = &Sub{r: r, name: name, all: all, h: h, wake: make(chan struct{}, 1),
		done: make(chan struct{}), drain: make(chan struct{})}
	if all {
		first = len(r.all) == 0
		r.all = append(slices.Clip(r.all), s)
	} else {
		first = len(r.topics[name]) == 0
		r.topics[name] = append(slices.Clip(r.topics[name]), s)
	}
	r.live++
	r.publish()
	go s.work()
	return s, first, nil
}

// remove takes s out of the registry; last reports whether it was the last
// subscription to its name (or the last catch-all).
func (r *Registry) remove(s *Sub) (last bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	defer r.publish()
	if s.all {
		r.all = slices.DeleteFunc(slices.Clone(r.all), func(x *Sub) bool { return x == s })
		return len(r.all) == 0
	}
	subs := slices.DeleteFunc(slices.Clone(r.topics[s.name]), func(x *Sub) bool { return x == s })
	if len(subs) == 0 {
		delete(r.topics, s.name)
		return true
	}
	r.topics[s.name] = subs
	return false
}

// routes is what Deliver and Procedure read: a copy of the subscriptions
// and procedures, replaced as a whole on every change, so that delivering
// a message or finding a call's handler takes no lock.
type routes struct {
	topics map[string][]*Sub
	all    []*Sub
	procs  map[string]topic.RawProcedureHandler
}

// publish replaces the routes after a change; the caller holds mu.
func (r *Registry) publish() {
	rt := &routes{topics: maps.Clone(r.topics), all: r.all, procs: maps.Clone(r.procs)}
	r.routes.Store(rt)
}

// Topics lists the names with at least one subscription, "" standing for
// the catch-all, in no particular order.
func (r *Registry) Topics() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.topics)+1)
	for name := range r.topics {
		names = append(names, name)
	}
	if len(r.all) > 0 {
		names = append(names, "")
	}
	return names
}

// HasSubscribers reports whether a message on name would reach a handler.
func (r *Registry) HasSubscribers(name string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.topics[name]) > 0 || len(r.all) > 0
}

// Listens reports whether the endpoint has a subscription or a procedure,
// and so whether a peer may send it something it did not ask for.
func (r *Registry) Listens() bool {
	rt := r.routes.Load()
	return len(rt.topics) > 0 || len(rt.all) > 0 || len(rt.procs) > 0
}

// Handle registers the handler of a procedure.
func (r *Registry) Handle(name string, h topic.RawProcedureHandler) (*Proc, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, topic.ErrClosed
	}
	if _, ok := r.procs[name]; ok {
		return nil, fmt.Errorf("%w: %s", topic.ErrAlreadyRegistered, name)
	}
	r.procs[name] = h
	r.publish()
	return &Proc{r: r, name: name}, nil
}

// Procedure returns the handler of a procedure, or nil.
func (r *Registry) Procedure(name string) topic.RawProcedureHandler {
	return r.routes.Load().procs[name]
}

// Close cancels the handlers' context and stops every subscription.
// Queued messages are dropped. It does not wait for running handlers: see
// Drain.
func (r *Registry) Close() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	subs := r.subsLocked()
	r.mu.Unlock()
	r.stop()
	r.workers.close()
	for _, s := range subs {
		s.stop()
	}
}

// Drain lets every subscription handle the messages already queued for it,
// then stop; it returns when they are all done, or ctx's error if it ends
// first. No new message should be delivered meanwhile.
func (r *Registry) Drain(ctx context.Context) error {
	r.mu.Lock()
	r.draining = true
	subs := r.subsLocked()
	r.mu.Unlock()
	for _, s := range subs {
		s.drainOnce.Do(func() { close(s.drain) })
	}
	return r.wait(ctx)
}

// wait blocks until every subscription goroutine has ended, or ctx ends.
func (r *Registry) wait(ctx context.Context) error {
	r.mu.Lock()
	if r.live == 0 {
		r.mu.Unlock()
		return nil
	}
	if r.allDone == nil {
		r.allDone = make(chan struct{})
	}
	done := r.allDone
	r.mu.Unlock()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// exited records the end of a subscription goroutine.
func (r *Registry) exited() {
	r.mu.Lock()
	r.live--
	if r.live == 0 && r.allDone != nil {
		close(r.allDone)
		r.allDone = nil
	}
	r.mu.Unlock()
}

// Dropped is the number of messages dropped by full subscription queues.
func (r *Registry) Dropped() uint64 { return r.dropped.Load() }

func (r *Registry) subsLocked() []*Sub {
	subs := slices.Clone(r.all)
	for _, list := range r.topics {
		subs = append(subs, list...)
	}
	return subs
}

// Proc is a registered procedure handler.
type Proc struct {
	r    *Registry
	name string
	once sync.Once
}

// Unsubscribe removes the procedure's handler.
func (p *Proc) Unsubscribe() error {
	p.once.Do(func() {
		p.r.mu.Lock()
		delete(p.r.procs, p.name)
		p.r.publish()
		p.r.mu.Unlock()
	})
	return nil
}
