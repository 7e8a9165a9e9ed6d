package client_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// A stuck subscription handler under the Drop policy loses its own
// messages (counted and reported) but holds up neither other topics nor
// calls.
func TestSlowSubscriptionDropsOnlyItsOwnMessages(t *testing.T) {
	srv, path := h.Server(t)
	_, err := topic.Handle(srv, topic.NewProcedure[int, int]("double"), func(ctx context.Context, n int, _ topic.Peer) (int, error) {
		return 2 * n, nil
	})
	require.NoError(t, err)
	_, err = topic.Handle(srv, topic.NewProcedure[int, int]("publish"), func(ctx context.Context, n int, from topic.Peer) (int, error) {
		for i := range n {
			if err := server.SendTo(ctx, srv, from.ID, h.A, h.Msg{N: i}); err != nil {
				return 0, err
			}
		}
		return n, server.SendTo(ctx, srv, from.ID, h.B, h.Msg{N: n})
	})
	require.NoError(t, err)

	onError, errs := h.Errors()
	stuck := make(chan struct{})
	defer close(stuck)
	var inB <-chan h.Received[h.Msg]
	cl := h.Client(t, path, func(c *client.Client) {
		_, err := topic.Subscribe(c, h.A, func(context.Context, h.Msg, topic.Peer) { <-stuck })
		require.NoError(t, err)
		inB = h.Inbox(t, c, h.B)
	}, client.WithSubscriptionQueue(1), client.WithSubscriptionPolicy(topic.Drop), client.OnError(onError))

	ctx := testutil.Context(t, h.Timeout)
	_, err = topic.Call(ctx, cl, topic.NewProcedure[int, int]("publish"), 100)
	require.NoError(t, err)
	require.Equal(t, 100, testutil.Recv(t, inB, h.Timeout).Msg.N, "the other topic is not held up")
	doubled, err := topic.Call(ctx, cl, topic.NewProcedure[int, int]("double"), 21)
	require.NoError(t, err, "calls are not held up")
	require.Equal(t, 42, doubled)
	require.ErrorIs(t, testutil.Recv(t, errs, h.Timeout), topic.ErrSlowConsumer)
	require.GreaterOrEqual(t, cl.Stats().Dropped, uint64(98), "the stuck handler has one message and one queued")
}
