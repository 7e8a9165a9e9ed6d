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
	// Counters, shared by the sessions of one endpoint, count the traffic.
	Counters *Counters
	// OnError receives errors that do not end the session.
	OnError func(error)
}

// Session is one established connection.
type Session struct {
	cfg   Config
	conn  transport.Conn
	ctx   context.Context // ends when the session does; parent of handler contexts
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

	framesIn  atomic.Uint64 // frames read, for keepalive
	keepalive keepalive     // used by KeepaliveTick's goroutine only
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
	if cfg.Counters == nil {
		cfg.Counters = new(Counters)
	}
	ctx, stop := context.WithCancel(cfg.Local.Context())
	s := &Session{
		cfg:       cfg,
		conn:      cfg.Conn,
		ctx:       ctx,
		stop:      stop,
		queue:     newQueue(cfg.QueueBytes),
		closed:    make(chan struct{}),
		writerOut: make(chan struct{}),
		finished:  make(chan struct{}),
		calls:     newCallTable(),
		serving:   newCallTable(),
		sem:       make(chan struct{}, cfg.MaxHandlers),
		peerGone:  make(chan struct{}),
	}
	if len(cfg.Interceptors) > 0 {
		s.onPublish = topic.Chain(s.deliver, cfg.Interceptors...)
	}
	s.onCall = topic.Chain(s.handle, cfg.Interceptors...)
	return s
}

// Peer returns the other end.
func (s *Session) Peer() topic.Peer { return s.cfg.Peer }

// Context returns a context that ends with the session.
func (s *Session) Context() context.Context { return s.ctx }

// Run writes and reads until the connection ends, then returns why. The
// calling goroutine becomes the reader.
func (s *Session) Run() error {
	defer close(s.finished)
	go s.writeLoop()
	err := s.readLoop()
	s.Close(err)
	<-s.writerOut
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
		s.calls.failAll(topic.ErrConnectionLost)
		s.serving.cancelAll()
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

// Send queues an encoded frame, taking over one of its references. While
// the queue is full it waits for room until ctx ends.
func (s *Session) Send(ctx context.Context, f *Frame) error {
	if err := s.checkSize(f); err != nil {
		return err
	}
	return s.push(ctx, f)
}

// Publish queues a message on a topic, applying the slow-consumer policy
// when the queue is full: Block waits for room (until ctx ends, or
// SlowTimeout passes and the peer is disconnected), Drop drops the message
// for this peer, Disconnect disconnects the peer. The last two return an
// error wrapping topic.ErrSlowConsumer.
func (s *Session) Publish(ctx context.Context, name string, payload []byte, headers map[string]string) error {
	f, err := s.encode(&wire.Envelope{Kind: wire.KindPublish, Topic: name, Payload: payload, Headers: headers})
	if err != nil {
		return &topic.EncodeError{Topic: name, ClientID: s.cfg.Peer.ID, Err: err}
	}
	return s.SendPublish(ctx, f)
}

// SendPublish queues an encoded Publish frame (taking over one reference)
// under the slow-consumer policy, as Publish does.
func (s *Session) SendPublish(ctx context.Context, f *Frame) error {
	if err := s.checkSize(f); err != nil {
		return err
	}
	// First without waiting: the common case, with room, needs no timer.
	err := s.queue.tryPush(f)
	if !errors.Is(err, errQueueFull) {
		return s.pushed(f, err)
	}
	switch s.cfg.Policy {
	case Drop:
		f.Release()
		s.cfg.Counters.Dropped.Add(1)
		return s.drops.record(s)
	case Disconnect:
		f.Release()
		return s.slowConsumer("its queue is full")
	}
	if s.cfg.SlowTimeout <= 0 {
		return s.pushed(f, s.queue.push(ctx, s.closed, nil, f))
	}
	t := time.NewTimer(s.cfg.SlowTimeout)
	defer t.Stop()
	err = s.queue.push(ctx, s.closed, t.C, f)
	if errors.Is(err, errQueueFull) {
		f.Release()
		return s.slowConsumer(fmt.Sprintf("a message waited %v for room in its queue", s.cfg.SlowTimeout))
	}
	return s.pushed(f, err)
}

// push queues f, waiting for room until ctx ends.
func (s *Session) push(ctx context.Context, f *Frame) error {
	return s.pushed(f, s.queue.push(ctx, s.closed, nil, f))
}

// pushed finishes a push: on failure it releases f and explains why.
func (s *Session) pushed(f *Frame, err error) error {
	if err == nil {
		return nil
	}
	f.Release()
	if errors.Is(err, errQueueClosed) {
		return topic.ErrConnectionLost
	}
	return err
}

func (s *Session) checkSize(f *Frame) error {
	if s.cfg.PeerMax > 0 && len(f.B) > s.cfg.PeerMax {
		f.Release()
		return fmt.Errorf("%w: %d bytes, the peer accepts %d", topic.ErrMessageTooLarge, len(f.B), s.cfg.PeerMax)
	}
	return nil
}

// slowConsumer disconnects the peer for not reading fast enough.
func (s *Session) slowConsumer(why string) error {
	err := &topic.SlowConsumerError{ClientID: s.cfg.Peer.ID, Reason: why}
	s.cfg.Counters.SlowConsumers.Add(1)
	s.Close(err)
	return err
}

func (s *Session) encode(e *wire.Envelope) (*Frame, error) {
	f, err := Encode(s.cfg.Format, e)
	if err != nil && errors.Is(err, wire.ErrUnsupportedKind) {
		return nil, fmt.Errorf("%w: %v", topic.ErrUnsupported, err)
	}
	return f, err
}

// SendEnvelope encodes e and queues it, waiting for room while the queue
// is full until ctx ends.
func (s *Session) SendEnvelope(ctx context.Context, e *wire.Envelope) error {
	f, err := s.encode(e)
	if err != nil {
		return err
	}
	return s.Send(ctx, f)
}
