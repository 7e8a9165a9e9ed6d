package nats

import (
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	natsgo "github.com/nats-io/nats.go"

	"github.com/sockipc/sockipc/transport"
)

var (
	// errClosed is returned by every method of a connection after Close.
	errClosed = fmt.Errorf("nats: connection closed: %w", net.ErrClosed)
	// errPeerClosed ends a connection whose peer closed it, once every
	// frame it sent has been read. It wraps io.EOF, as on a socket.
	errPeerClosed = fmt.Errorf("nats: connection closed by the peer: %w", io.EOF)
)

// resendAfter spaces out the requests a receiver makes for the same
// missing frames.
const resendAfter = 100 * time.Millisecond

// link is one connection: the transport.Conn both sides hold. It receives
// on its own subject through one subscription, so its frames arrive in the
// order the peer published them, and publishes to the peer's subject.
//
// Every data frame carries a sequence number and the sender keeps it until
// the peer's reader has taken it (the peer acknowledges), so that frames
// lost while a NATS connection was down are sent again and the receiver
// queues each frame exactly once, in order. The peer never has more
// frames outstanding than the receive window it was told, which bounds the
// receiver's queue and makes a writer wait for a slow reader, as on a
// socket. The details are in docs/PROTOCOL.md, "Subject layout".
type link struct {
	t      *Transport
	in     string // the subject this side receives on
	ourWin window // what this side's queue holds
	onOpen func(*link)

	limit atomic.Int64
	ready chan struct{} // cap 1: the reader may have something to take
	space chan struct{} // cap 1: the writer may have room
	done  chan struct{} // closed when the link ends

	pubMu sync.Mutex // held while publishing data, so frames leave in order

	mu      sync.Mutex
	sub     *natsgo.Subscription
	out     string // the subject the peer receives on
	peerWin window // what the peer's queue holds
	expire  *time.Timer
	opened  bool // server side: the dialer's open arrived
	closed  bool // Close was called
	ended   bool // nothing more is sent or queued
	peerFin bool // the peer closed

	// Sending.
	nextSeq  uint64   // sequence number of the next frame, from 1
	acked    uint64   // the peer's reader took every frame up to this one
	retained [][]byte // data messages acked+1 .. nextSeq-1, for resending
	retBytes int      // bytes in retained
	probing  bool     // a probe went out since the last ack
	writeErr error

	// Receiving.
	expected  uint64   // sequence number of the next frame to queue
	queue     [][]byte // frames for the reader, from qhead on
	qhead     int
	qbytes    int
	consumed  uint64    // sequence number of the last frame the reader took
	lastAck   uint64    // consumed, as last told to the peer
	unacked   int       // bytes taken by the reader since then
	peerWaits bool      // the peer probed: acknowledge at the next take
	gapFor    uint64    // the frame last asked for again
	gapAt     time.Time // when it was asked for
	readErr   error     // returned by ReadMessage once the queue is empty

	endOnce sync.Once
}

var _ transport.Conn = (*link)(nil)

func (t *Transport) newLink(in string) *link {
	l := &link{
		t:        t,
		in:       in,
		ourWin:   t.cfg.window,
		ready:    make(chan struct{}, 1),
		space:    make(chan struct{}, 1),
		done:     make(chan struct{}),
		nextSeq:  1,
		expected: 1,
	}
	l.limit.Store(transport.DefaultMaxMessageSize)
	return l
}

// subscribe starts receiving on the link's subject.
func (l *link) subscribe() error {
	sub, err := l.t.nc.Subscribe(l.in, l.onMsg)
	if err != nil {
		return err
	}
	l.mu.Lock()
	l.sub = sub
	l.mu.Unlock()
	return nil
}

// connect tells the link where the peer receives and how much it holds.
func (l *link) connect(out string, win window) {
	l.mu.Lock()
	l.out, l.peerWin = out, win
	l.mu.Unlock()
}

func (l *link) SetReadLimit(n int) { l.limit.Store(int64(n)) }

// Close ends the connection and tells the peer, which reads what was sent
// before, then io.EOF. Blocked ReadMessage and WriteMessage calls return
// an error wrapping net.ErrClosed.
func (l *link) Close() error {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	l.stop(errClosed, "")
	return nil
}

// fail ends the link because of err, and tells the peer why.
func (l *link) fail(err error) { l.stop(err, err.Error()) }

// abandon ends a link the peer never heard of (a dial that failed, an
// accepted dial the dialer never took up): no close notice.
func (l *link) abandon() {
	l.mu.Lock()
	l.out = ""
	l.mu.Unlock()
	l.stop(errClosed, "")
}

// stop ends the link, once: reads return the frames already queued, then
// err; writes fail with err; the peer is sent a close notice with reason
// unless it closed first; the subscription goes.
func (l *link) stop(err error, reason string) {
	l.endOnce.Do(func() {
		l.mu.Lock()
		if l.readErr == nil {
			l.readErr = err
		}
		if l.writeErr == nil {
			l.writeErr = err
		}
		l.ended = true
		out, last := l.out, l.nextSeq-1
		notify := out != "" && !l.peerFin
		sub := l.sub
		if l.expire != nil {
			l.expire.Stop()
		}
		clear(l.retained)
		l.retained, l.retBytes = nil, 0
		l.mu.Unlock()
		close(l.done)
		if notify {
			// After every frame, which the writer publishes holding pubMu.
			l.pubMu.Lock()
			_ = l.t.nc.Publish(out, appendFin(nil, last, reason))
			l.pubMu.Unlock()
		}
		if sub != nil {
			_ = sub.Unsubscribe()
		}
		l.t.forget(l)
	})
}

// control publishes a message that need not keep its place among the
// frames (acknowledgements, probes, syncs). A failure to publish is a lost
// message, which the protocol recovers from.
func (l *link) control(out string, msg []byte) {
	if out != "" {
		_ = l.t.nc.Publish(out, msg)
	}
}

// signal wakes whoever waits on ch, if anyone.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
