package client_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/topic"
)

// Close writes out what was published before it closes: a burst published
// right before Close all reaches the server.
func TestCloseFlushesFirst(t *testing.T) {
	const total = 10000
	srv, path := h.Server(t)
	var got atomic.Int64
	all := make(chan struct{})
	_, err := topic.Subscribe(srv, h.A, func(ctx context.Context, m h.Msg, _ topic.Peer) {
		if got.Add(1) == total {
			close(all)
		}
	})
	require.NoError(t, err)
	cl := h.Client(t, path, nil)
	ctx := testutil.Context(t, h.Timeout)
	for i := range total {
		require.NoError(t, topic.Publish(ctx, cl, h.A, h.Msg{N: i}))
	}
	require.NoError(t, cl.Close())
	testutil.Recv(t, all, h.Timeout)
}

func TestFlush(t *testing.T) {
	srv, path := h.Server(t)
	cl := h.Client(t, path, nil)
	ctx := testutil.Context(t, h.Timeout)
	for i := range 1000 {
		require.NoError(t, topic.Publish(ctx, cl, h.A, h.Msg{N: i}))
	}
	require.NoError(t, cl.Flush(ctx))
	// Everything is on the wire: the server reads it all.
	require.Eventually(t, func() bool { return srv.Stats().MsgsIn >= 1000 }, h.Timeout, time.Millisecond)

	require.NoError(t, cl.Close())
	require.ErrorIs(t, cl.Flush(ctx), topic.ErrClosed)
}
