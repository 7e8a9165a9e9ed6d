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
// send more. Default: 8 MiB.
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
func WithQueueSize(bytes int) Option { return func(o *config) { o.queueBytes = bytes } }

// WithSubscriptionQueue sets how many messages each subscription holds
// while its handler is busy. Default: 1024.
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

// OnDisconnect sets a function called when an established connection ends
// unexpectedly, with the reason. The client then reconnects.
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
