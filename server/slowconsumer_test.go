package server_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// counter is a subscriber that checks it receives 0, 1, 2, ... in order.
type counter struct {
	next  atomic.Int64
	bad   atomic.Int64
	total int64
	done  chan struct{}
}

func newCounter(total int) *counter { return &counter{total: int64(total), done: make(chan struct{})} }

func (c *counter) handle(ctx context.Context, m h.Msg, _ topic.Peer) {
	if int64(m.N) != c.next.Load() {
		c.bad.Add(1)
	}
	if c.next.Add(1) == c.total {
		close(c.done)
	}
}

// heapWatch samples the heap while a test runs and reports the peak.
func heapWatch(t *testing.T) (stop func() uint64) {
	var peak atomic.Uint64
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-tick.C:
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > peak.Load() {
					peak.Store(m.HeapAlloc)
				}
			case <-quit:
				return
			}
		}
	})
	return func() uint64 {
		close(quit)
		wg.Wait()
		return peak.Load()
	}
}

// broadcastPastAStalledClient has one client stop reading while the server
// broadcasts; the three others must get every message. With paced set,
// the publisher lets the three catch up every thousand messages, so that
// only the stalled client's queue fills: under the Drop and Disconnect
// policies, a client that is merely behind for a moment is treated like a
// stalled one.
func broadcastPastAStalledClient(t *testing.T, total int, paced bool, opts ...server.Option) (srv *server.Server, stalled *client.Client, errs <-chan error, disconnected <-chan topic.Peer) {
	onError, errCh := h.Errors()
	gone := make(chan topic.Peer, 10)
	opts = append([]server.Option{server.WithQueueSize(256 << 10), server.OnError(onError),
		server.OnDisconnect(func(p topic.Peer, err error) { gone <- p })}, opts...)
	srv, path := h.Server(t, opts...)

	fast := make([]*counter, 3)
	for i := range fast {
		fast[i] = newCounter(total)
		h.Client(t, path, func(c *client.Client) {
			_, err := topic.Subscribe(c, h.A, fast[i].handle)
			require.NoError(t, err)
		}, client.WithReconnect(time.Hour, time.Hour))
	}
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	stalled = h.Client(t, path, func(c *client.Client) {
		_, err := topic.Subscribe(c, h.A, func(context.Context, h.Msg, topic.Peer) { <-release })
		require.NoError(t, err)
	}, client.WithSubscriptionQueue(1), client.WithReconnect(time.Hour, time.Hour))

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := heapWatch(t)
	ctx := testutil.Context(t, 6*h.Timeout)
	for i := range total {
		require.NoError(t, topic.Publish(ctx, srv, h.A, h.Msg{N: i}))
		if paced && i%1000 == 999 {
			require.Eventually(t, func() bool {
				for _, c := range fast {
					if c.next.Load() <= int64(i) {
						return false
					}
				}
				return true
			}, 2*h.Timeout, time.Millisecond)
		}
	}
	for i, c := range fast {
		select {
		case <-c.done:
		case <-ctx.Done():
			for len(errCh) > 0 {
				t.Log(<-errCh)
			}
			for len(gone) > 0 {
				t.Log("gone:", (<-gone).ID)
			}
			t.Log(srv.Stats())
			t.Logf("stalled %s", stalled.ID())
			t.Fatalf("fast client %d received %d of %d", i, c.next.Load(), total)
		}
		require.Zero(t, c.bad.Load(), "fast client %d: out of order", i)
	}
	grown := int64(peak()) - int64(before.HeapAlloc)
	t.Logf("peak heap growth %d KiB", grown>>10)
	assert.Less(t, grown, int64(64<<20), "memory stays bounded")
	return srv, stalled, errCh, gone
}

func TestSlowConsumerBlockThenDisconnect(t *testing.T) {
	srv, stalled, errs, gone := broadcastPastAStalledClient(t, 200000, false, server.WithSlowConsumerTimeout(time.Second))
	se := h.WaitErr[*topic.SlowConsumerError](t, errs)
	assert.Equal(t, stalled.ID(), se.ClientID)
	assert.Zero(t, se.Dropped)
	assert.Equal(t, stalled.ID(), testutil.Recv(t, gone, h.Timeout).ID)
	assert.Equal(t, uint64(1), srv.Stats().SlowConsumers)
}

func TestSlowConsumerDrop(t *testing.T) {
	srv, stalled, errs, _ := broadcastPastAStalledClient(t, 200000, true, server.WithSlowConsumerPolicy(topic.Drop))
	se := h.WaitErr[*topic.SlowConsumerError](t, errs)
	assert.Equal(t, stalled.ID(), se.ClientID)
	assert.NotZero(t, se.Dropped)
	assert.NotZero(t, srv.Stats().Dropped)
	assert.Len(t, srv.Clients(), 4, "nobody was disconnected")
}

func TestSlowConsumerDisconnect(t *testing.T) {
	srv, stalled, errs, gone := broadcastPastAStalledClient(t, 200000, true, server.WithSlowConsumerPolicy(topic.Disconnect))
	se := h.WaitErr[*topic.SlowConsumerError](t, errs)
	assert.Equal(t, stalled.ID(), se.ClientID)
	assert.True(t, errors.Is(se, topic.ErrSlowConsumer))
	assert.Equal(t, stalled.ID(), testutil.Recv(t, gone, h.Timeout).ID)
	assert.Equal(t, uint64(1), srv.Stats().SlowConsumers)
}

// With the default policy and nobody stalled, a million messages published
// as fast as possible all arrive: the publisher is held back, nothing is
// lost.
func TestBackpressureLosesNothing(t *testing.T) {
	const total = 1000000
	srv, path := h.Server(t)
	subs := make([]*counter, 2)
	for i := range subs {
		subs[i] = newCounter(total)
		h.Client(t, path, func(c *client.Client) {
			_, err := topic.Subscribe(c, h.A, subs[i].handle)
			require.NoError(t, err)
		})
	}
	ctx := testutil.Context(t, 6*h.Timeout)
	for i := range total {
		require.NoError(t, topic.Publish(ctx, srv, h.A, h.Msg{N: i}))
	}
	for i, c := range subs {
		select {
		case <-c.done:
		case <-ctx.Done():
			t.Fatalf("client %d received %d of %d", i, c.next.Load(), total)
		}
		require.Zero(t, c.bad.Load())
	}
	require.Zero(t, srv.Stats().Dropped)
}
