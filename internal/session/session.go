// Package session runs one established connection of either side: a reader
// that decodes and dispatches envelopes, a single writer that coalesces
// outbound frames, the calls in flight in both directions, and the end of
// it all. Server and client share it, so the protocol is implemented once.
package session

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sockipc/sockipc/codec"
	"github.com/sockipc/sockipc/internal/dispatch"
	"github.com/sockipc/sockipc/internal/nudge"
	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport"
)

// Defaults of a Config's zero fields.
const (
	DefaultQueueBytes  = 8 << 20
	DefaultMaxHandlers = 64
)

// Config describes a session. Conn, Format, Codec and Local are required.
type Config struct {
	Conn   transport.Conn
	Format wire.Format
	Codec  codec.Codec
	// Local holds the endpoint's handlers, which inbound messages and
	// calls reach.
	Local *dispatch.Registry
	// Peer is the other end, as handlers see it.
	Peer topic.Peer
	// PeerMax is the largest frame the peer accepts; 0 means no limit.
	PeerMax int
	// QueueBytes bounds the outbound queue.
	QueueBytes int
	// MaxHandlers bounds the inbound calls handled at once; when they are
	// all busy, the reader waits.
	MaxHandlers int
	// Tolerant makes a frame that does not decode a reported error rather
	// than the end of the connection (the Node.js format, whose peers send
	// arbitrary text).
	Tolerant bool
	// Control handles Subscribe and Unsubscribe, which only a server
	// receives. Its error ends the session. Nil means those kinds are
	// protocol errors.
	Control func(e *wire.Envelope) error
	// Relay, if set, receives every inbound message once it is queued for
	// the local subscriptions (and accepted by the interceptors): a server
	// forwards it to other clients. m is valid only during the call.
	Relay func(ctx context.Context, m topic.RawMessage, from topic.Peer)
	// Interceptors wrap the handling of every inbound message and call,
	// the first outermost.
	Interceptors []topic.Interceptor
	// Policy says what a publish does when the outbound queue is full,
	// and SlowTimeout how long Block waits before the peer is declared a
	// slow consumer (0: as long as the sender's context allows).
	Policy      Policy
	SlowTimeout time.Duration
	// OnError receives errors that do not end the session.
	OnError func(error)
}

// Session is one established connection.
type Session struct {
	cfg   Config
	conn  transport.Conn
	ctx   context.Context // ends when the session does
	stop  context.CancelFunc
	queue *queue

	closeOnce sync.Once
	closed    chan struct{} // closed when Close begins
	errMu     sync.Mutex
	err       error
	writerOut chan struct{} // closed when the writer has returned
	finished  chan struct{} // closed when Run has returned

	nextID  atomic.Uint64
	calls   callTable // our calls waiting for an answer
	serving callTable // their calls our handlers are answering
	sem     chan struct{}

	onPublish topic.InboundFunc // nil without interceptors: deliver directly
	onCall    topic.InboundFunc

	counters Counters

	// The reader role (see reader.go).
	frames    transport.NextBufferedReader // nil unless published messages are collected: see deliverArrived
	arrived   *[]dispatch.Message          // collected, still in the read buffer; nil when none
	arrivedIn uint64                       // bytes of the messages collected, not yet counted
	dec       wire.Decoder
	env       wire.Envelope            // the envelope being dispatched
	buffered  transport.BufferedReader // nil if the connection cannot tell
	readEnded chan struct{}            // closed when reading has ended

	// Releasing the role (see release.go).
	free         atomic.Uint64 // while the role is free, the release that freed it; else 0
	releases     uint64        // releases so far; guarded by the role
	watched      atomic.Bool   // the watchdog watches this session
	callerReads  bool          // a caller holds the role (readFor); guarded by the role
	interrupter  transport.ReadInterrupter
	watching     <-chan struct{} // the Done of the context watchEnd watches; guarded by the role
	stopWatching func() bool     // guarded by the role
	interruptMu  sync.Mutex
	reading      <-chan struct{} // the Done of the reading caller's context; guarded by interruptMu
	interrupted  bool            // guarded by interruptMu

	// The writer role (see writer.go).
	writing   atomic.Bool
	batcher   transport.BatchWriter
	tryWriter transport.TryWriter
	left      batch     // taken from the queue, not all written yet; guarded by the role
	bufs      [][]byte  // guarded by the role
	written   uint64    // messages written; guarded by the role
	keepalive keepalive // used by KeepaliveTick's goroutine only
	drops     dropReport

	goAwayMu  sync.Mutex
	goingAway bool          // a GoAway was sent or received
	peerGone  chan struct{} // closed when the peer answered our GoAway

	peerGoneOnce sync.Once
}

// New returns a session over an established (handshaken) connection. Frames
// may be sent at once; they are written when Run starts.
func New(cfg Config) *Session {
	if cfg.QueueBytes <= 0 {
		cfg.QueueBytes = DefaultQueueBytes
	}
	if cfg.MaxHandlers <= 0 {
		cfg.MaxHandlers = DefaultMaxHandlers
	}
	if cfg.OnError == nil {
		cfg.OnError = func(error) {}
	}
	ctx, stop := context.WithCancel(cfg.Local.Context())
	s := &Session{
		cfg:       cfg,
		conn:      cfg.Conn,
		ctx:       ctx,
		stop:      stop,
		queue:     newQueue(cfg.Format, cfg.QueueBytes, cfg.PeerMax),
		closed:    make(chan struct{}),
		writerOut: make(chan struct{}),
		finished:  make(chan struct{}),
		calls:     newCallTable(),
		serving:   newCallTable(),
		sem:       make(chan struct{}, cfg.MaxHandlers),
		peerGone:  make(chan struct{}),
		dec:       cfg.Format.NewDecoder(),
		readEnded: make(chan struct{}),
	}
	s.batcher, s.tryWriter = connWriters(cfg.Conn)
	s.buffered, _ = cfg.Conn.(transport.BufferedReader)
	s.interrupter, _ = cfg.Conn.(transport.ReadInterrupter)
	if len(cfg.Interceptors) > 0 {
		s.onPublish = topic.Chain(s.deliver, cfg.Interceptors...)
	}
	if f, ok := cfg.Conn.(transport.NextBufferedReader); ok && s.onPublish == nil && cfg.Relay == nil {
		s.frames = f
	}
	s.onCall = topic.Chain(s.handle, cfg.Interceptors...)
	return s
}

// Peer returns the other end.
func (s *Session) Peer() topic.Peer { return s.cfg.Peer }

// Context returns a context that ends with the session.
func (s *Session) Context() context.Context { return s.ctx }

// Run writes and reads until the connection ends, then returns why. The
// calling goroutine starts as the reader.
func (s *Session) Run() error {
	defer close(s.finished)
	nudge.Acquire() // for the writer's wake-ups
	defer nudge.Release()
	go s.writeLoop()
	s.read()
	<-s.readEnded
	<-s.writerOut
	s.dropLeft()
	return s.Err()
}

// Start runs the session on goroutines of its own.
func (s *Session) Start() { go s.Run() }

// Finished is closed when the session has ended: Run has returned.
func (s *Session) Finished() <-chan struct{} { return s.finished }

// Close ends the session with reason err (nil for a local close): the
// connection is closed, queued frames are dropped, calls in flight fail
// with ErrConnectionLost and handlers' contexts are cancelled. It does not
// wait; Run returns once the reader and writer are done.
func (s *Session) Close(err error) {
	s.closeOnce.Do(func() {
		s.errMu.Lock()
		s.err = err
		s.errMu.Unlock()
		close(s.closed)
		s.stop()
		s.conn.Close()
		s.queue.close()
		s.calls.closeAll(topic.ErrConnectionLost)
		s.serving.closeAll(nil)
		if s.take() {
			s.stopWatchingEnd()
			close(s.readEnded) // the role was free: nobody reads any more
		}
	})
}

// Err returns why the session ended, once it has.
func (s *Session) Err() error {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.err
}

// Done is closed when Close has begun.
func (s *Session) Done() <-chan struct{} { return s.closed }

// Send queues an envelope, waiting for room while the queue is full until
// ctx ends.
func (s *Session) Send(ctx context.Context, e wire.Envelope) error {
	m := message{env: e}
	return s.pushed(s.queue.push(ctx, s.closed, nil, &m))
}

// SendNow queues an envelope and, if now is set, writes it at once from
// the calling goroutine if no other is writing: for a call or an answer
// with no other in flight, where latency matters more than batching.
func (s *Session) SendNow(ctx context.Context, e wire.Envelope, now bool) error {
	m := message{env: e, inline: now && s.tryWriter != nil}
	if err := s.pushed(s.queue.push(ctx, s.closed, nil, &m)); err != nil {
		return err
	}
	if m.inline {
		s.writeInline()
	}
	return nil
}

// SendBody queues an encoded envelope, waiting for room while the queue is
// full until ctx ends.
func (s *Session) SendBody(ctx context.Context, body []byte) error {
	m := message{body: body}
	return s.pushed(s.queue.push(ctx, s.closed, nil, &m))
}

// Publish queues a message on a topic, applying the slow-consumer policy
// when the queue is full: Block waits for room (until ctx ends, or
// SlowTimeout passes and the peer is disconnected), Drop drops the message
// for this peer, Disconnect disconnects the peer. The last two return an
// error wrapping topic.ErrSlowConsumer.
func (s *Session) Publish(ctx context.Context, name string, payload []byte, headers map[string]string) error {
	m := message{env: wire.Envelope{Kind: wire.KindPublish, Topic: name, Payload: payload, Headers: headers}}
	err := s.publish(ctx, &m)
	if errors.Is(err, wire.ErrMalformed) || errors.Is(err, wire.ErrInvalidPayload) {
		return &topic.EncodeError{Topic: name, ClientID: s.cfg.Peer.ID, Err: err}
	}
	return err
}

// PublishBody queues an encoded Publish envelope under the slow-consumer
// policy, as Publish does. A server encodes a broadcast once and hands the
// same body to every recipient's session.
func (s *Session) PublishBody(ctx context.Context, body []byte) error {
	m := message{body: body}
	return s.publish(ctx, &m)
}

func (s *Session) publish(ctx context.Context, m *message) error {
	// First without waiting: the common case, with room, needs no timer.
	err := s.queue.tryPush(m, s.cfg.Policy == Block)
	if errors.Is(err, errPaced) {
		s.queue.pace(ctx, s.closed)
		err = s.queue.tryPush(m, false)
	}
	if !errors.Is(err, errQueueFull) {
		return s.pushed(err)
	}
	switch s.cfg.Policy {
	case Drop:
		s.counters.Dropped.Add(1)
		return s.drops.record(s)
	case Disconnect:
		return s.slowConsumer("its queue is full")
	}
	if s.cfg.SlowTimeout <= 0 {
		return s.pushed(s.queue.push(ctx, s.closed, nil, m))
	}
	t := time.NewTimer(s.cfg.SlowTimeout)
	defer t.Stop()
	err = s.queue.push(ctx, s.closed, t.C, m)
	if errors.Is(err, errQueueFull) {
		return s.slowConsumer(fmt.Sprintf("a message waited %v for room in its queue", s.cfg.SlowTimeout))
	}
	return s.pushed(err)
}

// pushed explains why a push failed.
func (s *Session) pushed(err error) error {
	if errors.Is(err, errQueueClosed) {
		return topic.ErrConnectionLost
	}
	return err
}

// slowConsumer disconnects the peer for not reading fast enough.
func (s *Session) slowConsumer(why string) error {
	err := &topic.SlowConsumerError{ClientID: s.cfg.Peer.ID, Reason: why}
	s.counters.SlowConsumers.Add(1)
	s.Close(err)
	return err
}
