package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/session"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// Pacing (a publisher under the Block policy waits for its peer's writer
// once the process queues more than a few megabytes) must never hold back
// what the queue's bound allows: a peer that reads nothing still gets its
// whole queue, and publishing to it goes on until that is full. Every
// message then arrives, in order, once the peer reads again.
func TestPacingGivesWayToAPeerThatDoesNotRead(t *testing.T) {
	const (
		total = 12000
		size  = 1 << 10 // 12 MB in all: beyond the pacing budget, within the queue
	)
	srv, path := h.Server(t, server.WithQueueSize(32<<20))
	got := newCounter(total)
	release := make(chan struct{})
	cl := h.Client(t, path, func(c *client.Client) {
		_, err := topic.Subscribe(c, h.A, func(ctx context.Context, m h.Msg, p topic.Peer) {
			<-release
			got.handle(ctx, m, p)
		})
		require.NoError(t, err)
	}, client.WithSubscriptionQueue(1))

	text := strings.Repeat("x", size)
	ctx := testutil.Context(t, h.Timeout)
	start := time.Now()
	for i := range total {
		require.NoError(t, topic.Publish(ctx, srv, h.A, h.Msg{N: i, Text: text}), "message %d", i)
	}
	t.Logf("%d MB queued for a peer that reads nothing in %v", total*size>>20, time.Since(start))
	assert.Greater(t, session.QueuedChunks(), int64(256), "more than the pacing budget is queued")

	close(release)
	select {
	case <-got.done:
	case <-ctx.Done():
		t.Fatalf("received %d of %d", got.next.Load(), total)
	}
	assert.Zero(t, got.bad.Load(), "in order")

	require.NoError(t, cl.Close())
	require.NoError(t, srv.Close())
	assert.Eventually(t, func() bool { return session.QueuedChunks() == 0 }, h.Timeout, time.Millisecond,
		"every queued chunk is given back")
}
