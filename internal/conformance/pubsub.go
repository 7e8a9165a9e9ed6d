package conformance

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/topic"
)

func clientPublishReachesServer(t *testing.T, e env) {
	srv, addr := e.server(t)
	inbox := h.Inbox(t, srv, h.A)
	cl := e.client(t, addr, nil, client.WithName("pub"))

	ctx := testutil.Context(t, h.Timeout)
	require.NoError(t, topic.Publish(ctx, cl, h.A, h.Msg{N: 1, Text: "hi"}))
	got := testutil.Recv(t, inbox, h.Timeout)
	assert.Equal(t, h.Msg{N: 1, Text: "hi"}, got.Msg)
	assert.Equal(t, cl.ID(), got.From.ID)
	assert.Equal(t, "pub", got.From.Name)
}

// Three clients subscribed to A, B, and both: each gets the topics it
// subscribed to, and nothing else.
func serverPublishReachesSubscribers(t *testing.T, e env) {
	srv, addr := e.server(t)
	var onlyA, onlyB, bothA, bothB <-chan h.Received[h.Msg]
	e.client(t, addr, func(c *client.Client) { onlyA = h.Inbox(t, c, h.A) })
	e.client(t, addr, func(c *client.Client) { onlyB = h.Inbox(t, c, h.B) })
	e.client(t, addr, func(c *client.Client) { bothA, bothB = h.Inbox(t, c, h.A), h.Inbox(t, c, h.B) })

	ctx := testutil.Context(t, h.Timeout)
	require.NoError(t, topic.Publish(ctx, srv, h.A, h.Msg{N: 1}))
	require.NoError(t, topic.Publish(ctx, srv, h.B, h.Msg{N: 2}))
	assert.Equal(t, 1, testutil.Recv(t, onlyA, h.Timeout).Msg.N)
	assert.Equal(t, 2, testutil.Recv(t, onlyB, h.Timeout).Msg.N)
	got := testutil.Recv(t, bothA, h.Timeout)
	assert.Equal(t, 1, got.Msg.N)
	assert.True(t, got.From.IsServer())
	assert.Equal(t, 2, testutil.Recv(t, bothB, h.Timeout).Msg.N)

	// A later message on A reached onlyA after anything sent to it before:
	// so B never went there.
	require.NoError(t, topic.Publish(ctx, srv, h.A, h.Msg{N: 3}))
	assert.Equal(t, 3, testutil.Recv(t, onlyA, h.Timeout).Msg.N)
	testutil.NoRecv(t, onlyA)
}

// Many messages each way arrive in the order they were published.
func publishesArriveInOrder(t *testing.T, e env) {
	const n = 2000
	srv, addr := e.server(t)
	toServer := ordered(t, srv, n)
	var toClient <-chan error
	cl := e.client(t, addr, func(c *client.Client) { toClient = ordered(t, c, n) })

	ctx := testutil.Context(t, h.Timeout)
	for i := range n {
		require.NoError(t, topic.Publish(ctx, cl, h.A, h.Msg{N: i}))
		require.NoError(t, topic.Publish(ctx, srv, h.A, h.Msg{N: i}))
	}
	require.NoError(t, testutil.Recv(t, toServer, h.Timeout))
	require.NoError(t, testutil.Recv(t, toClient, h.Timeout))
}

// ordered subscribes ep to A and reports, once n messages arrived, whether
// they were 0, 1, ... n-1.
func ordered(t testing.TB, ep topic.Endpoint, n int) <-chan error {
	t.Helper()
	done := make(chan error, 1)
	next := 0
	_, err := topic.Subscribe(ep, h.A, func(ctx context.Context, m h.Msg, _ topic.Peer) {
		if next > n {
			return
		}
		if m.N != next {
			done <- fmt.Errorf("message %d arrived when %d was expected", m.N, next)
			next = n + 1
			return
		}
		if next++; next == n {
			done <- nil
		}
	})
	require.NoError(t, err)
	return done
}
