package conformance

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// A server that shuts down gracefully delivers what it had queued, the
// client takes it as a normal end, reconnects to the next server at the
// same address, and goes on publishing and calling.
func shutdownWithReconnectingClient(t *testing.T, e env) {
	const queued = 1000
	addr := e.Addr(t)
	var first <-chan h.Received[h.Msg]
	srv, served := e.startServer(t, addr, func(s *server.Server) { first = h.Inbox(t, s, h.A) })
	disconnected := make(chan error, 1)
	reconnected := make(chan struct{}, 1)
	var got <-chan error
	cl := e.client(t, addr, func(c *client.Client) { got = ordered(t, c, queued) },
		client.WithReconnect(10*time.Millisecond, 20*time.Millisecond),
		client.OnDisconnect(func(err error) { disconnected <- err }),
		client.OnReconnect(func() { reconnected <- struct{}{} }))

	ctx := testutil.Context(t, h.Timeout)
	require.NoError(t, topic.Publish(ctx, cl, h.A, h.Msg{N: 1}))
	require.Equal(t, 1, testutil.Recv(t, first, h.Timeout).Msg.N)
	for i := range queued {
		require.NoError(t, topic.Publish(ctx, srv, h.A, h.Msg{N: i}))
	}
	require.NoError(t, srv.Shutdown(ctx))
	require.NoError(t, testutil.Recv(t, served, h.Timeout))
	require.NoError(t, testutil.Recv(t, got, h.Timeout), "every queued message was delivered, in order")
	require.NoError(t, testutil.Recv(t, disconnected, h.Timeout), "a graceful shutdown is not an error")

	var second <-chan h.Received[h.Msg]
	e.startServer(t, addr, func(s *server.Server) {
		second = h.Inbox(t, s, h.A)
		h.HandleAdd(t, s)
	})
	testutil.Recv(t, reconnected, h.Timeout)
	require.NoError(t, topic.Publish(ctx, cl, h.A, h.Msg{N: 2}))
	require.Equal(t, 2, testutil.Recv(t, second, h.Timeout).Msg.N)
	sum, err := topic.Call(ctx, cl, h.Add, h.AddArgs{A: 2, B: 2})
	require.NoError(t, err)
	require.Equal(t, 4, sum)
}
