package client_test

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

const keepalive = 200 * time.Millisecond

// slack allows for scheduling on a loaded machine.
const slack = 300 * time.Millisecond

// A server that stops answering (its socket open, its frames lost) is
// detected by the client within three keepalive intervals; the client
// then reconnects.
func TestKeepaliveDetectsFrozenServer(t *testing.T) {
	frozen := h.NewSwallow()
	_, path := h.Server(t, server.WithTransport(frozen), server.WithKeepalive(0))
	disconnected := make(chan error, 1)
	h.Client(t, path, nil, client.WithKeepalive(keepalive), client.WithReconnect(time.Hour, time.Hour),
		client.OnDisconnect(func(err error) { disconnected <- err }))

	frozen.Freeze()
	start := time.Now()
	err := testutil.Recv(t, disconnected, h.Timeout)
	elapsed := time.Since(start)
	require.ErrorIs(t, err, topic.ErrPeerUnresponsive)
	require.Less(t, elapsed, 3*keepalive+slack, "detected within 3 intervals")
	t.Logf("detected after %v (interval %v)", elapsed, keepalive)
}

// A client that stops answering is detected and freed by the server within
// three keepalive intervals.
func TestKeepaliveFreesFrozenClient(t *testing.T) {
	gone := make(chan error, 1)
	srv, path := h.Server(t, server.WithKeepalive(keepalive),
		server.OnDisconnect(func(_ topic.Peer, err error) { gone <- err }))
	frozen := h.NewSwallow()
	h.Client(t, path, nil, client.WithTransport(frozen), client.WithKeepalive(0),
		client.WithReconnect(time.Hour, time.Hour))
	require.Len(t, srv.Clients(), 1)

	frozen.Freeze()
	start := time.Now()
	err := testutil.Recv(t, gone, h.Timeout)
	elapsed := time.Since(start)
	require.ErrorIs(t, err, topic.ErrPeerUnresponsive)
	require.Less(t, elapsed, 3*keepalive+slack, "detected within 3 intervals")
	require.Empty(t, srv.Clients())
	t.Logf("detected after %v (interval %v)", elapsed, keepalive)
}

// An idle but healthy connection survives many intervals.
func TestKeepaliveKeepsHealthyIdleConnection(t *testing.T) {
	srv, path := h.Server(t, server.WithKeepalive(keepalive/4))
	disconnected := make(chan error, 1)
	cl := h.Client(t, path, nil, client.WithKeepalive(keepalive/4),
		client.OnDisconnect(func(err error) { disconnected <- err }))
	// Wait for both sides to have pinged several times.
	require.Eventually(t, func() bool {
		return srv.Stats().MsgsOut >= 6 && cl.Stats().MsgsOut >= 6
	}, h.Timeout, time.Millisecond)
	testutil.NoRecv(t, disconnected)
	require.Len(t, srv.Clients(), 1)
}
