package server

import (
	"io/fs"
	"log/slog"
	"time"

	"github.com/sockipc/sockipc/codec"
	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport"
)

// Option configures a Server. Options are applied in order by [New].
type Option func(*config)

type config struct {
	codec            codec.Codec
	logger           *slog.Logger
	maxMessageSize   int
	transport        transport.Transport
	mode             fs.FileMode
	handshakeTimeout time.Duration
	queueBytes       int
	subQueueLen      int
	maxHandlers      int
	nodeCompat       bool
	interceptors     []topic.Interceptor
	relay            bool
	policy           topic.SlowConsumerPolicy
	slowTimeout      time.Duration
	subPolicy        topic.SlowConsumerPolicy
	keepalive        time.Duration
	authorize        func(topic.Peer) error

	onListening  func(addr string)
	onConnect    func(topic.Peer)
	onDisconnect func(topic.Peer, error)
	onClose      func()
	onError      func(error)
}

func defaults() config {
	return config{
		codec:            codec.MsgPack,
		maxMessageSize:   transport.DefaultMaxMessageSize,
		mode:             0o600,
		handshakeTimeout: 5 * time.Second,
		slowTimeout:      5 * time.Second,
		keepalive:        DefaultKeepalive,
	}
}

// WithCodec sets the payload codec. Clients must use the same one: the
// handshake refuses a client whose codec has another name. Default:
// [codec.MsgPack].
func WithCodec(c codec.Codec) Option { return func(o *config) { o.codec = c } }

// WithLogger sets where the server logs: connections at Debug level,
// refused handshakes and broken connections at Warn. Default: a logger
// that discards everything; OnError still sees every error.
func WithLogger(l *slog.Logger) Option { return func(o *config) { o.logger = l } }

// WithMaxMessageSize sets the largest message the server accepts, in bytes
// (envelope included). It is announced to clients, which refuse to send
// more with [topic.ErrMessageTooLarge]; a client that sends more anyway is
// disconnected before the message is read. Default: 8 MiB, or less if the
// transport carries less (see transport.SizeLimiter).
func WithMaxMessageSize(n int) Option { return func(o *config) { o.maxMessageSize = n } }

// WithTransport replaces the unix socket transport, for example with an
// in-memory one in tests or another carrier. The socket path given to
// [New] becomes the address given to its Listen. WithMode does not apply
// to a replaced transport.
func WithTransport(t transport.Transport) Option { return func(o *config) { o.transport = t } }

// WithMode sets the permission bits of the socket file. Default: 0600, so
// that only the server's user may connect.
func WithMode(mode fs.FileMode) Option { return func(o *config) { o.mode = mode } }

// WithHandshakeTimeout bounds the time a new connection has to complete
// the handshake before it is closed. Default: 5 s.
func WithHandshakeTimeout(d time.Duration) Option {
	return func(o *config) { o.handshakeTimeout = d }
}

// WithQueueSize bounds, in bytes, the output queued for each client (the
// frames and their bookkeeping). What a publish does when a client's queue
// is full is set by [WithSlowConsumerPolicy]. Default: 8 MiB.
//
// Under the default policy, topic.Block, a publish also waits before the
// queue is full, for a client that is reading, while the whole process
// holds more than 4 MiB of queued output and this client more than
// 256 KiB: queueing further would only stream messages through memory
// that the CPU's caches no longer hold. A client that reads nothing for
// 50 ms gets its whole queue, as the bound says.
func WithQueueSize(bytes int) Option { return func(o *config) { o.queueBytes = bytes } }

// WithSubscriptionQueue sets how many messages each subscription holds
// while its handler is busy. When it is full, the connection that delivers
// to it waits (policy topic.Block, the default) or the message is dropped
// for that subscription and reported (policy topic.Drop): see
// [WithSubscriptionPolicy]. Default: 1024.
func WithSubscriptionQueue(n int) Option { return func(o *config) { o.subQueueLen = n } }

// WithMaxHandlers bounds the calls handled at once for each client; when
// they are all busy, the server stops reading from that client until one
// finishes. Default: 64.
func WithMaxHandlers(n int) Option { return func(o *config) { o.maxHandlers = n } }

// OnListening sets a function called once the server listens, with its
// address.
func OnListening(f func(addr string)) Option { return func(o *config) { o.onListening = f } }

// OnConnect sets a function called when a client has connected: it has its
// id, its subscriptions are in place, and it can be sent to. It runs
// before the client's Connect returns, on the connection's goroutine:
// keep it short.
func OnConnect(f func(topic.Peer)) Option { return func(o *config) { o.onConnect = f } }

// OnDisconnect sets a function called when a client's connection has
// ended, with the reason (nil when the server closed it).
func OnDisconnect(f func(topic.Peer, error)) Option {
	return func(o *config) { o.onDisconnect = f }
}

// OnClose sets a function called once the server has closed.
func OnClose(f func()) Option { return func(o *config) { o.onClose = f } }

// OnError sets a function that receives errors that do not stop the
// server: refused handshakes, broken connections, payloads that do not
// decode (*topic.DecodeError), handler panics. It may be called from many
// goroutines at once.
func OnError(f func(error)) Option { return func(o *config) { o.onError = f } }

// WithInterceptor adds an interceptor around the handling of every inbound
// message and call (see [topic.Interceptor]). Interceptors run in the order
// they are added: the first added sees a message first. One that returns
// an error refuses the message or call; a caller receives the error as a
// *topic.RemoteError.
func WithInterceptor(i topic.Interceptor) Option {
	return func(o *config) { o.interceptors = append(o.interceptors, i) }
}

// WithSlowConsumerPolicy sets what a publish does when a client's outbound
// queue is full. Whatever the policy, the other clients keep receiving and
// the server's memory stays bounded. Default: [topic.Block].
func WithSlowConsumerPolicy(p topic.SlowConsumerPolicy) Option {
	return func(o *config) { o.policy = p }
}

// WithSlowConsumerTimeout bounds how long one publish waits for room in a
// client's queue under the Block policy. When it has waited that long, the
// client is disconnected and reported to OnError as a
// *topic.SlowConsumerError, and the publish goes on to the other clients.
// The publisher's context bounds the wait too. 0 means no bound but the
// context. Default: 5 s.
func WithSlowConsumerTimeout(d time.Duration) Option {
	return func(o *config) { o.slowTimeout = d }
}

// WithSubscriptionPolicy sets what happens to a message for one of the
// server's subscriptions whose queue is full: [topic.Block] (the client's
// connection waits, the default) or [topic.Drop].
func WithSubscriptionPolicy(p topic.SlowConsumerPolicy) Option {
	return func(o *config) { o.subPolicy = p }
}

// DefaultKeepalive is the keepalive interval of servers and clients.
const DefaultKeepalive = 15 * time.Second

// WithKeepalive sets the keepalive interval: a client that sent nothing
// during an interval is pinged, and one that does not answer by the next
// interval is disconnected, so a frozen process is detected within three
// intervals even though its socket stays open. 0 turns keepalive off.
// Default: [DefaultKeepalive].
func WithKeepalive(interval time.Duration) Option {
	return func(o *config) { o.keepalive = interval }
}
