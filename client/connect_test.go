package client_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/codec"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport"
)

// events records a client's lifecycle callbacks in order.
type events chan string

func (e events) options() []client.Option {
	return []client.Option{
		client.OnConnect(func() { e <- "connect" }),
		client.OnReconnect(func() { e <- "reconnect" }),
		client.OnConnectError(func(error) { e <- "connect-error" }),
		client.OnDisconnect(func(error) { e <- "disconnect" }),
		client.OnClose(func() { e <- "close" }),
	}
}

// next returns the next event other than skip.
func (e events) next(t *testing.T, skip ...string) string {
	t.Helper()
	for {
		ev := testutil.Recv(t, e, h.Timeout)
		if !contains(skip, ev) {
			return ev
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func newClient(t *testing.T, path string, opts ...client.Option) *client.Client {
	t.Helper()
	cl, err := client.New(path, append([]client.Option{client.WithRetry(5*time.Millisecond, 10*time.Millisecond),
		client.WithReconnect(5*time.Millisecond, 10*time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { cl.Close() })
	return cl
}

func TestRetryUntilServerAppears(t *testing.T) {
	path := testutil.SocketPath(t)
	ev := make(events, 100)
	cl := newClient(t, path, ev.options()...)
	connected := make(chan error, 1)
	go func() { connected <- cl.Connect(testutil.Context(t, h.Timeout)) }()

	require.Equal(t, "connect-error", ev.next(t))
	require.Equal(t, "connect-error", ev.next(t), "still retrying")
	h.ServerAt(t, path)
	require.Equal(t, "connect", ev.next(t, "connect-error"))
	require.NoError(t, testutil.Recv(t, connected, h.Timeout))
	require.True(t, cl.Connected())
}

func TestConnectEndsWithContext(t *testing.T) {
	path := testutil.SocketPath(t)
	cl := newClient(t, path)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := cl.Connect(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	// The client is still usable: a later Connect succeeds.
	h.ServerAt(t, path)
	require.NoError(t, cl.Connect(testutil.Context(t, h.Timeout)))
}

func TestRetryLimit(t *testing.T) {
	path := testutil.SocketPath(t)
	ev := make(events, 100)
	cl := newClient(t, path, append(ev.options(), client.WithRetryLimit(3))...)
	err := cl.Connect(testutil.Context(t, h.Timeout))
	require.ErrorIs(t, err, topic.ErrRetryLimit)
	for range 3 {
		require.Equal(t, "connect-error", ev.next(t))
	}
}

func TestCloseDuringRetryStopsEverything(t *testing.T) {
	path := testutil.SocketPath(t)
	ev := make(events, 100)
	cl := newClient(t, path, ev.options()...)
	connected := make(chan error, 1)
	go func() { connected <- cl.Connect(context.Background()) }()
	require.Equal(t, "connect-error", ev.next(t))

	require.NoError(t, cl.Close())
	require.ErrorIs(t, testutil.Recv(t, connected, h.Timeout), topic.ErrClosed)
	require.Equal(t, "close", ev.next(t, "connect-error"))
	require.NoError(t, cl.Close(), "idempotent")
	// goleak (TestMain) proves no goroutine or timer is left behind.
}

func TestReconnectAfterServerRestart(t *testing.T) {
	path := testutil.SocketPath(t)
	srv, err := server.New(path)
	require.NoError(t, err)
	require.NoError(t, srv.Listen())
	go srv.Serve(context.Background())

	ev := make(events, 100)
	cl := newClient(t, path, ev.options()...)
	inbox := h.Inbox(t, cl, h.A)
	require.NoError(t, cl.Connect(testutil.Context(t, h.Timeout)))
	require.Equal(t, "connect", ev.next(t))
	firstID := cl.ID()

	require.NoError(t, srv.Close())
	require.Equal(t, "disconnect", ev.next(t))

	// Sending while disconnected fails clearly.
	err = topic.Publish(testutil.Context(t, h.Timeout), cl, h.A, h.Msg{})
	require.ErrorIs(t, err, topic.ErrNotConnected)

	srv2 := h.ServerAt(t, path)
	require.Equal(t, "connect", ev.next(t, "connect-error"))
	require.Equal(t, "reconnect", ev.next(t))
	require.NotEqual(t, firstID, cl.ID(), "a new connection gets a new id")

	// The subscription was restored as part of reconnecting.
	require.NoError(t, topic.Publish(testutil.Context(t, h.Timeout), srv2, h.A, h.Msg{N: 9}))
	require.Equal(t, 9, testutil.Recv(t, inbox, h.Timeout).Msg.N)

	// And the client can publish again.
	serverIn := h.Inbox(t, srv2, h.B)
	require.NoError(t, topic.Publish(testutil.Context(t, h.Timeout), cl, h.B, h.Msg{N: 10}))
	require.Equal(t, 10, testutil.Recv(t, serverIn, h.Timeout).Msg.N)
}

func TestSendAfterClose(t *testing.T) {
	_, path := h.Server(t)
	cl := h.Client(t, path, nil)
	require.NoError(t, cl.Close())
	ctx := testutil.Context(t, h.Timeout)
	require.ErrorIs(t, topic.Publish(ctx, cl, h.A, h.Msg{}), topic.ErrClosed)
	_, err := topic.Subscribe(cl, h.A, func(context.Context, h.Msg, topic.Peer) {})
	require.ErrorIs(t, err, topic.ErrClosed)
	require.ErrorIs(t, cl.Connect(ctx), topic.ErrClosed)
}

func TestSendBeforeConnect(t *testing.T) {
	_, path := h.Server(t)
	cl := newClient(t, path)
	err := topic.Publish(testutil.Context(t, h.Timeout), cl, h.A, h.Msg{})
	require.ErrorIs(t, err, topic.ErrNotConnected)
}

func TestServerSendAfterClose(t *testing.T) {
	srv, err := server.New(testutil.SocketPath(t))
	require.NoError(t, err)
	require.NoError(t, srv.Close())
	require.NoError(t, srv.Close(), "idempotent")
	require.ErrorIs(t, topic.Publish(testutil.Context(t, h.Timeout), srv, h.A, h.Msg{}), topic.ErrClosed)
	require.ErrorIs(t, srv.Listen(), topic.ErrClosed)
}

func TestCodecMismatchIsClearOnBothSides(t *testing.T) {
	onError, errs := h.Errors()
	_, path := h.Server(t, server.OnError(onError))
	ev := make(events, 100)
	cl := newClient(t, path, append(ev.options(), client.WithCodec(codec.JSON))...)
	err := cl.Connect(testutil.Context(t, h.Timeout))
	require.ErrorIs(t, err, topic.ErrIncompatible)
	assert.Contains(t, err.Error(), `"json"`)
	assert.Contains(t, err.Error(), `"msgpack"`)
	assert.Empty(t, ev, "a mismatch is not retried")

	var serverErr error
	select {
	case serverErr = <-errs:
	case <-time.After(h.Timeout):
		t.Fatal("server reported nothing")
	}
	require.ErrorIs(t, serverErr, topic.ErrIncompatible)
	assert.Contains(t, serverErr.Error(), "codec")
}

func TestPathValidation(t *testing.T) {
	for _, path := range []string{"", "8080", "/" + string(make([]byte, 200))} {
		_, err := client.New(path)
		require.Error(t, err, "client %q", path)
		_, err = server.New(path)
		require.Error(t, err, "server %q", path)
	}
}

func TestAddrInUseLeavesLiveServerServing(t *testing.T) {
	srv, path := h.Server(t)
	inbox := h.Inbox(t, srv, h.A)

	other, err := server.New(path)
	require.NoError(t, err)
	err = other.Listen()
	require.ErrorIs(t, err, transport.ErrAddrInUse)
	require.NoError(t, other.Close())

	cl := h.Client(t, path, nil)
	require.NoError(t, topic.Publish(testutil.Context(t, h.Timeout), cl, h.A, h.Msg{N: 1}))
	require.Equal(t, 1, testutil.Recv(t, inbox, h.Timeout).Msg.N)
}

func TestStaleSocketIsReclaimed(t *testing.T) {
	path := testutil.SocketPath(t)
	// A process that dies without cleaning up leaves its socket file with
	// nobody accepting on it.
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	require.NoError(t, err)
	ln.SetUnlinkOnClose(false)
	require.NoError(t, ln.Close())
	_, err = net.Dial("unix", path)
	require.True(t, errors.Is(err, syscall.ECONNREFUSED), "the file is stale: %v", err)

	srv := h.ServerAt(t, path)
	inbox := h.Inbox(t, srv, h.A)
	cl := h.Client(t, path, nil)
	require.NoError(t, topic.Publish(testutil.Context(t, h.Timeout), cl, h.A, h.Msg{N: 1}))
	require.Equal(t, 1, testutil.Recv(t, inbox, h.Timeout).Msg.N)
}

// A publish that waits for room in a full queue ends with its context; the
// connection is untouched and carries on once the server reads again.
func TestPublishContextEndsThatPublishOnly(t *testing.T) {
	srv, path := h.Server(t, server.WithSubscriptionQueue(1))
	release := make(chan struct{})
	got := make(chan int, 100000)
	_, err := topic.Subscribe(srv, h.A, func(ctx context.Context, m h.Msg, _ topic.Peer) {
		<-release
		got <- m.N
	})
	require.NoError(t, err)
	cl := h.Client(t, path, nil, client.WithQueueSize(4<<10))

	// Publish until the server's stalled handler, its queue, the socket
	// buffers and the client's queue are full and a publish has to wait.
	sent := 0
	var pubErr error
	for pubErr == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		pubErr = topic.Publish(ctx, cl, h.A, h.Msg{N: sent, Text: strings.Repeat("x", 512)})
		cancel()
		if pubErr == nil {
			sent++
		}
	}
	require.ErrorIs(t, pubErr, context.DeadlineExceeded)
	require.True(t, cl.Connected(), "the connection survives")

	close(release)
	for i := range sent {
		require.Equal(t, i, testutil.Recv(t, got, h.Timeout), "every accepted message arrives, in order")
	}
	require.NoError(t, topic.Publish(testutil.Context(t, h.Timeout), cl, h.A, h.Msg{N: sent}))
	require.Equal(t, sent, testutil.Recv(t, got, h.Timeout))
}
