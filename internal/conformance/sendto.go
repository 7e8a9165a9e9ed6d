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

func sendToReachesOnlyThatClient(t *testing.T, e env) {
	srv, addr := e.server(t)
	var in1, in2 <-chan h.Received[h.Msg]
	c1 := e.client(t, addr, func(c *client.Client) { in1 = h.Inbox(t, c, h.A) })
	c2 := e.client(t, addr, func(c *client.Client) { in2 = h.Inbox(t, c, h.A) })

	ctx := testutil.Context(t, h.Timeout)
	require.NoError(t, server.SendTo(ctx, srv, c1.ID(), h.A, h.Msg{N: 1}))
	require.NoError(t, server.SendTo(ctx, srv, c2.ID(), h.A, h.Msg{N: 2}))
	got1 := testutil.Recv(t, in1, h.Timeout)
	got2 := testutil.Recv(t, in2, h.Timeout)
	assert.Equal(t, 1, got1.Msg.N)
	assert.Equal(t, 2, got2.Msg.N)
	assert.True(t, got1.From.IsServer())
	// Each got its own message first, so anything sent to the other would
	// have been delivered already.
	testutil.NoRecv(t, in1)
	testutil.NoRecv(t, in2)

	err := server.SendTo(ctx, srv, "4a1f0c52-0000-4000-8000-000000000000", h.A, h.Msg{})
	require.ErrorIs(t, err, topic.ErrUnknownClient)
}

// A server's publish reaches every subscribed client, all of it and in
// order, and no other client.
func broadcastReachesEverySubscriber(t *testing.T, e env) {
	const clients, msgs = 4, 200
	srv, addr := e.server(t)
	inboxes := make([]<-chan h.Received[h.Msg], clients)
	for i := range inboxes {
		e.client(t, addr, func(c *client.Client) { inboxes[i] = h.Inbox(t, c, h.A) })
	}
	var other <-chan h.Received[h.Msg]
	e.client(t, addr, func(c *client.Client) { other = h.Inbox(t, c, h.B) })

	ctx := testutil.Context(t, h.Timeout)
	for i := range msgs {
		require.NoError(t, topic.Publish(ctx, srv, h.A, h.Msg{N: i}))
	}
	require.NoError(t, topic.Publish(ctx, srv, h.B, h.Msg{N: -1}))
	for _, in := range inboxes {
		for i := range msgs {
			require.Equal(t, i, testutil.Recv(t, in, h.Timeout).Msg.N)
		}
	}
	assert.Equal(t, -1, testutil.Recv(t, other, h.Timeout).Msg.N, "only B reaches the B subscriber")
	testutil.NoRecv(t, other)
}
