package server_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// Three clients: one publishes, the two subscribed get the message with
// the sender's id, the publisher does not get its own message back, and a
// client that did not subscribe gets nothing.
func TestRelay(t *testing.T) {
	srv, path := h.Server(t, server.WithRelay())
	serverIn := h.Inbox(t, srv, h.A)
	var pubIn, in1, in2, otherB <-chan h.Received[h.Msg]
	pub := h.Client(t, path, func(c *client.Client) { pubIn = h.Inbox(t, c, h.A) }, client.WithName("pub"))
	h.Client(t, path, func(c *client.Client) { in1 = h.Inbox(t, c, h.A) })
	h.Client(t, path, func(c *client.Client) { in2 = h.Inbox(t, c, h.A) })
	h.Client(t, path, func(c *client.Client) { otherB = h.Inbox(t, c, h.B) })

	ctx := testutil.Context(t, h.Timeout)
	require.NoError(t, topic.Publish(ctx, pub, h.A, h.Msg{N: 1, Text: "relayed"}))
	for _, in := range []<-chan h.Received[h.Msg]{in1, in2, serverIn} {
		got := testutil.Recv(t, in, h.Timeout)
		assert.Equal(t, h.Msg{N: 1, Text: "relayed"}, got.Msg)
		assert.Equal(t, pub.ID(), got.From.ID, "the recipients see the original sender")
	}

	// A message the server sends afterwards, on the same connections,
	// arrives after anything relayed before it: so nothing was relayed to
	// the publisher, nor to the client subscribed to another topic.
	require.NoError(t, topic.Publish(ctx, srv, h.A, h.Msg{N: 2}))
	require.NoError(t, topic.Publish(ctx, srv, h.B, h.Msg{N: 3}))
	assert.Equal(t, 2, testutil.Recv(t, pubIn, h.Timeout).Msg.N, "the publisher does not get its own message")
	assert.Equal(t, 3, testutil.Recv(t, otherB, h.Timeout).Msg.N)
	testutil.NoRecv(t, otherB)
}

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
