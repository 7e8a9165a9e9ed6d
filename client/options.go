package client

import (
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/sockipc/sockipc/codec"
	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport"
)

// Option configures a Client. Options are applied in order by [New].
type Option func(*config)

type config struct {
	codec            codec.Codec
	logger           *slog.Logger
	maxMessageSize   int
	transport        transport.Transport
	name             string
	retry            delay
	reconnect        delay
	retryLimit       int
	handshakeTimeout time.Duration
	queueBytes       int
	subQueueLen      int
	maxHandlers      int
	nodeCompat       bool
	interceptors     []topic.Interceptor
	keepalive        time.Duration
	reconnectBuffer  int
	subPolicy        topic.SlowConsumerPolicy
	flushOnClose     time.Duration

	onConnect      func()
	onReconnect    func()
	onConnectError func(error)
	onDisconnect   func(error)
	onClose        func()
	onError        func(error)
}

func defaults() config {
	return config{
		codec:            codec.MsgPack,
		maxMessageSize:   transport.DefaultMaxMessageSize,
		retry:            delay{min: 100 * time.Millisecond, max: 500 * time.Millisecond},
		reconnect:        delay{min: 100 * time.Millisecond, max: 500 * time.Millisecond},
		handshakeTimeout: 5 * time.Second,
		keepalive:        DefaultKeepalive,
		flushOnClose:     2 * time.Second,
	}
}

// delay is a wait between attempts: fixed when min == max, otherwise
// uniformly random between them, so that many clients of a restarted
// server do not all knock at once.
type delay struct{ min, max time.Duration }

func (d delay) next() time.Duration {
	if d.max <= d.min {
		return d.min
	}
	return d.min + rand.N(d.max-d.min+1)
}

// WithCodec sets the payload codec; it must have the same name as the
// server's. Default: [codec.MsgPack].
func WithCodec(c codec.Codec) Option { return func(o *config) { o.codec = c } }

// WithLogger sets where the client logs: connection changes at Debug
// level, errors at Warn. Default: a logger that discards everything;
// OnError still sees every error.
func WithLogger(l *slog.Logger) Option { return func(o *config) { o.logger = l } }

// WithMaxMessageSize sets the largest message the client accepts, in bytes
// (envelope included). It is announced to the server, which refuses to
// send more. Default: 8 MiB, or less if the
// transport carries less (see transport.SizeLimiter).
func WithMaxMessageSize(n int) Option { return func(o *config) { o.maxMessageSize = n } }

// WithTransport replaces the unix socket transport. The socket path given
// to [New] becomes the address given to its Dial.
func WithTransport(t transport.Transport) Option { return func(o *config) { o.transport = t } }

// WithName gives the client a name, sent in the handshake and visible on
// the server as topic.Peer.Name. Names need not be unique.
func WithName(name string) Option { return func(o *config) { o.name = name } }

// WithRetry sets the wait between failed connection attempts: fixed if
// min == max, otherwise random between min and max. Default: 100–500 ms.
func WithRetry(min, max time.Duration) Option {
	return func(o *config) { o.retry = delay{min: min, max: max} }
}

// WithReconnect sets the wait before reconnecting after the connection is
// lost unexpectedly: fixed if min == max, otherwise random between min and
// max. Further attempts are spaced by the WithRetry delay. Default:
// 100–500 ms.
func WithReconnect(min, max time.Duration) Option {
	return func(o *config) { o.reconnect = delay{min: min, max: max} }
}

// WithRetryLimit gives up after n failed attempts in a row: Connect
// returns an error wrapping [topic.ErrRetryLimit], and a client that
// cannot reconnect reports it through OnError and closes. Default: 0,
// retry until Close (or until Connect's context ends).
func WithRetryLimit(n int) Option { return func(o *config) { o.retryLimit = n } }

// WithHandshakeTimeout bounds one attempt's handshake. Default: 5 s.
func WithHandshakeTimeout(d time.Duration) Option {
	return func(o *config) { o.handshakeTimeout = d }
}

// WithQueueSize bounds, in bytes, the output queued for the server; a
// publish waits while it is full. Default: 8 MiB.
//
// A publish also waits before the queue is full, for a server that is
// reading, while the whole process holds more than 4 MiB of queued output
// and this connection more than 256 KiB: queueing further would only
// stream messages through memory that the CPU's caches no longer hold. A
// server that reads nothing for 50 ms gets the whole queue.
func WithQueueSize(bytes int) Option { return func(o *config) { o.queueBytes = bytes } }

// WithSubscriptionQueue sets how many messages each subscription holds
// while its handler is busy. When it is full, the connection that delivers
// to it waits (policy topic.Block, the default) or the message is dropped
// for that subscription and reported (policy topic.Drop): see
// [WithSubscriptionPolicy]. Default: 1024.
func WithSubscriptionQueue(n int) Option { return func(o *config) { o.subQueueLen = n } }

// WithMaxHandlers bounds the server's calls handled at once. Default: 64.
func WithMaxHandlers(n int) Option { return func(o *config) { o.maxHandlers = n } }

// OnConnect sets a function called each time a connection is established
// (its subscriptions registered), before Connect returns for the first.
func OnConnect(f func()) Option { return func(o *config) { o.onConnect = f } }

// OnReconnect sets a function called after an automatic reconnect, right
// after OnConnect. It is not called for the first connection.
func OnReconnect(f func()) Option { return func(o *config) { o.onReconnect = f } }

// OnConnectError sets a function called with the error of each failed
// connection attempt.
func OnConnectError(f func(error)) Option { return func(o *config) { o.onConnectError = f } }

// OnDisconnect sets a function called when an established connection
// ends, with the reason: nil when the server shut down gracefully (it said
// so first), the error otherwise. The client then reconnects.
func OnDisconnect(f func(error)) Option { return func(o *config) { o.onDisconnect = f } }

// OnClose sets a function called once the client has closed, by Close or
// by giving up reconnecting.
func OnClose(f func()) Option { return func(o *config) { o.onClose = f } }

// OnError sets a function that receives errors that do not close the
// client: payloads that do not decode (*topic.DecodeError), handler
// panics, and the reason the client gave up reconnecting.
func OnError(f func(error)) Option { return func(o *config) { o.onError = f } }

// WithInterceptor adds an interceptor around the handling of every inbound
// message and call (see [topic.Interceptor]). Interceptors run in the order
// they are added: the first added sees a message first. One that returns
// an error refuses the message or call; a caller receives the error as a
// *topic.RemoteError.
func WithInterceptor(i topic.Interceptor) Option {
	return func(o *config) { o.interceptors = append(o.interceptors, i) }
}

// WithSubscriptionPolicy sets what happens to a message for one of the
// client's subscriptions whose queue is full: [topic.Block] (the
// connection waits, the default) or [topic.Drop].
func WithSubscriptionPolicy(p topic.SlowConsumerPolicy) Option {
	return func(o *config) { o.subPolicy = p }
}

// DefaultKeepalive is the default keepalive interval.
const DefaultKeepalive = 15 * time.Second

// WithKeepalive sets the keepalive interval: when the server sent nothing
// during an interval it is pinged, and if it does not answer by the next
// interval the connection is considered lost and the client reconnects,
// so a frozen server is detected within three intervals even though its
// socket stays open. 0 turns keepalive off. Default: [DefaultKeepalive].
func WithKeepalive(interval time.Duration) Option {
	return func(o *config) { o.keepalive = interval }
}

// WithReconnectBuffer keeps what is published while the client is
// reconnecting, up to the given number of bytes (encoded messages), and
// sends it, in order, once reconnected, before anything published after.
// Messages that were still queued, not yet written, when the connection
// ended go first. (Without a buffer those are lost, and reported to
// OnError.) Messages already written to a connection that then broke are
// not known to have arrived, and are not sent again.
// When the buffer is full, a publish fails with
// [topic.ErrReconnectBufferFull]. Calls are never buffered: they fail with
// [topic.ErrNotConnected]. The buffer is used only after the first
// connection; before it, publishes fail with ErrNotConnected. Default: 0,
// no buffer.
func WithReconnectBuffer(bytes int) Option {
	return func(o *config) { o.reconnectBuffer = bytes }
}

// WithFlushOnClose bounds how long Close waits for what was published to
// be written to the socket before it closes the connection. Default: 2 s.
func WithFlushOnClose(d time.Duration) Option {
	return func(o *config) { o.flushOnClose = d }
}
