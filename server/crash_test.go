package server_test

import (
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/topic"
)

// A server process killed with SIGKILL leaves its socket file behind; a new
// server on the same path reclaims it, and the clients that were connected
// reconnect to it.
func TestKilledServerIsReplacedAndClientsReconnect(t *testing.T) {
	path := testutil.SocketPath(t)
	cmd := startServerProcess(t, path)

	const n = 3
	reconnected := make(chan struct{}, n)
	disconnected := make(chan struct{}, n)
	clients := make([]*client.Client, n)
	inboxes := make([]<-chan h.Received[h.Msg], n)
	for i := range clients {
		clients[i] = h.Client(t, path, func(c *client.Client) { inboxes[i] = h.Inbox(t, c, h.A) },
			client.WithReconnect(5*time.Millisecond, 10*time.Millisecond),
			client.OnDisconnect(func(error) { disconnected <- struct{}{} }),
			client.OnReconnect(func() { reconnected <- struct{}{} }))
	}

	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	for range n {
		testutil.Recv(t, disconnected, h.Timeout)
	}
	// The file is still there, and nobody answers on it: it is stale.
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.ModeSocket, info.Mode().Type())
	_, err = net.Dial("unix", path)
	require.True(t, errors.Is(err, syscall.ECONNREFUSED), "%v", err)

	srv := h.ServerAt(t, path)
	serverIn := h.Inbox(t, srv, h.B)
	for range n {
		testutil.Recv(t, reconnected, h.Timeout)
	}
	ctx := testutil.Context(t, h.Timeout)
	require.NoError(t, topic.Publish(ctx, srv, h.A, h.Msg{N: 7}))
	for i, in := range inboxes {
		require.Equal(t, 7, testutil.Recv(t, in, h.Timeout).Msg.N, "client %d", i)
		require.NoError(t, topic.Publish(ctx, clients[i], h.B, h.Msg{N: i}))
		require.Equal(t, clients[i].ID(), testutil.Recv(t, serverIn, h.Timeout).From.ID)
	}
}
