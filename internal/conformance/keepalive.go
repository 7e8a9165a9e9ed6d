package conformance

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
)

// An idle, healthy connection survives many keepalive intervals, both
// sides pinging.
func keepaliveKeepsHealthyConnection(t *testing.T, e env) {
	const interval = 25 * time.Millisecond
	srv, addr := e.server(t, server.WithKeepalive(interval))
	disconnected := make(chan error, 1)
	cl := e.client(t, addr, nil, client.WithKeepalive(interval),
		client.OnDisconnect(func(err error) { disconnected <- err }))
	require.Eventually(t, func() bool {
		return srv.Stats().MsgsOut >= 6 && cl.Stats().MsgsOut >= 6
	}, h.Timeout, time.Millisecond, "both sides pinged several times")
	testutil.NoRecv(t, disconnected)
	require.Len(t, srv.Clients(), 1)
}
