package client_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// queueUnsent connects a client through a gate, shuts the gate so that
// what it publishes stays queued, publishes n messages, and kills the
// server under it. It returns the client and the path, with no server.
func queueUnsent(t *testing.T, n int, opts ...client.Option) (*client.Client, string) {
	t.Helper()
	path := testutil.SocketPath(t)
	srv, err := server.New(path)
	require.NoError(t, err)
	require.NoError(t, srv.Listen())
	go srv.Serve(context.Background())
	gate := h.NewGate()
	disconnected := make(chan error, 1)
	cl := newClient(t, path, append([]client.Option{client.WithTransport(gate),
		client.WithReconnect(10*time.Millisecond, 10*time.Millisecond),
		client.OnDisconnect(func(err error) { disconnected <- err })}, opts...)...)
	require.NoError(t, cl.Connect(testutil.Context(t, h.Timeout)))

	gate.Shut()
	ctx := testutil.Context(t, h.Timeout)
	// The first message is taken by the writer, which waits at the gate;
	// the others stay queued.
	require.NoError(t, topic.Publish(ctx, cl, h.A, h.Msg{N: 0}))
	testutil.Recv(t, gate.Waiting(), h.Timeout)
	for i := 1; i < n; i++ {
		require.NoError(t, topic.Publish(ctx, cl, h.A, h.Msg{N: i}))
	}
	require.NoError(t, srv.Close())
	testutil.Recv(t, disconnected, h.Timeout)
	gate.Open()
	return cl, path
}

// Messages still queued when the connection broke go out on the next one,
// first and in order, with a reconnect buffer. The one the writer had
// already taken is lost with the connection.
func TestUnsentMessagesGoToTheReconnectBuffer(t *testing.T) {
	const n = 100
	_, path := queueUnsent(t, n, client.WithReconnectBuffer(1<<20))
	var got received
	srv, err := server.New(path)
	require.NoError(t, err)
	_, err = topic.Subscribe(srv, h.A, got.handle)
	require.NoError(t, err)
	require.NoError(t, srv.Listen())
	go srv.Serve(context.Background())
	t.Cleanup(func() { srv.Close() })

	// The first message, in the writer's hands, went with the connection.
	require.Eventually(t, func() bool { return got.len() >= n-1 }, h.Timeout, time.Millisecond)
	got.mu.Lock()
	defer got.mu.Unlock()
	for i, v := range got.nums {
		require.Equal(t, i+1, v, "the others, in order")
	}
}

// Without a reconnect buffer, messages still queued are lost, and the
// client says so.
func TestUnsentMessagesAreReported(t *testing.T) {
	onError, errs := h.Errors()
	queueUnsent(t, 100, client.OnError(onError))
	err := testutil.Recv(t, errs, h.Timeout)
	require.ErrorIs(t, err, topic.ErrConnectionLost)
	require.Contains(t, err.Error(), "99 published message(s)")
}
