package conformance

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

// With relay on, a client's publish reaches the server and the other
// subscribed clients, with the sender's id; not the sender, nor a client
// subscribed to another topic.
func relayReachesOtherSubscribers(t *testing.T, e env) {
	srv, addr := e.server(t, server.WithRelay())
	serverIn := h.Inbox(t, srv, h.A)
	var pubIn, in1, in2, otherB <-chan h.Received[h.Msg]
	pub := e.client(t, addr, func(c *client.Client) { pubIn = h.Inbox(t, c, h.A) }, client.WithName("pub"))
	e.client(t, addr, func(c *client.Client) { in1 = h.Inbox(t, c, h.A) })
	e.client(t, addr, func(c *client.Client) { in2 = h.Inbox(t, c, h.A) })
	e.client(t, addr, func(c *client.Client) { otherB = h.Inbox(t, c, h.B) })

	ctx := testutil.Context(t, h.Timeout)
	require.NoError(t, topic.Publish(ctx, pub, h.A, h.Msg{N: 1, Text: "relayed"}))
	for _, in := range []<-chan h.Received[h.Msg]{in1, in2, serverIn} {
		got := testutil.Recv(t, in, h.Timeout)
		assert.Equal(t, h.Msg{N: 1, Text: "relayed"}, got.Msg)
		assert.Equal(t, pub.ID(), got.From.ID, "the recipients see the original sender")
	}

	// What the server sends next arrives after anything relayed before.
	require.NoError(t, topic.Publish(ctx, srv, h.A, h.Msg{N: 2}))
	require.NoError(t, topic.Publish(ctx, srv, h.B, h.Msg{N: 3}))
	assert.Equal(t, 2, testutil.Recv(t, pubIn, h.Timeout).Msg.N, "the publisher does not get its own message")
	assert.Equal(t, 3, testutil.Recv(t, otherB, h.Timeout).Msg.N)
	testutil.NoRecv(t, otherB)
}
