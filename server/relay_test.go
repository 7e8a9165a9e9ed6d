package server_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/topic"
)

// Relay itself is tested over every transport in internal/conformance.

func TestNoRelayByDefault(t *testing.T) {
	srv, path := h.Server(t)
	var in <-chan h.Received[h.Msg]
	pub := h.Client(t, path, nil)
	h.Client(t, path, func(c *client.Client) { in = h.Inbox(t, c, h.A) })
	ctx := testutil.Context(t, h.Timeout)
	require.NoError(t, topic.Publish(ctx, pub, h.A, h.Msg{N: 1}))
	require.NoError(t, topic.Publish(ctx, srv, h.A, h.Msg{N: 2}))
	assert.Equal(t, 2, testutil.Recv(t, in, h.Timeout).Msg.N, "only the server's own message arrives")
}
