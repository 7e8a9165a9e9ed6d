package client_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// received collects the numbers that reach the servers' handlers.
type received struct {
	mu   sync.Mutex
	nums []int
}

func (r *received) handle(ctx context.Context, m h.Msg, _ topic.Peer) {
	r.mu.Lock()
	r.nums = append(r.nums, m.N)
	r.mu.Unlock()
}

func (r *received) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.nums)
}

// restartingServer serves path, shuts down gracefully when told, and
// serves again; every server's handler records into got.
func restartingServer(t *testing.T, path string, got *received) (restart func()) {
	t.Helper()
	start := func() *server.Server {
		srv, err := server.New(path)
		require.NoError(t, err)
		_, err = topic.Subscribe(srv, h.A, got.handle)
		require.NoError(t, err)
		require.NoError(t, srv.Listen())
		go srv.Serve(context.Background())
		return srv
	}
	current := start()
	t.Cleanup(func() { current.Close() })
	return func() {
		require.NoError(t, current.Shutdown(testutil.Context(t, h.Timeout)))
		current = start()
	}
}

func TestReconnectBufferKeepsEveryMessageInOrder(t *testing.T) {
	const total = 10000
	path := testutil.SocketPath(t)
	var got received
	restart := restartingServer(t, path, &got)
	reconnected := make(chan struct{}, 1)
	disconnected := make(chan error, 1)
	cl := newClient(t, path, client.WithReconnectBuffer(4<<20),
		client.OnReconnect(func() { reconnected <- struct{}{} }),
		client.OnDisconnect(func(err error) { disconnected <- err }))
	require.NoError(t, cl.Connect(testutil.Context(t, h.Timeout)))

	ctx := testutil.Context(t, h.Timeout)
	published := make(chan error, 1)
	underway := make(chan struct{})
	go func() {
		for i := range total {
			if i == total/10 {
				// Go on publishing once the server has gone away.
				close(underway)
				<-disconnected
			}
			if err := topic.Publish(ctx, cl, h.A, h.Msg{N: i}); err != nil {
				published <- err
				return
			}
		}
		published <- nil
	}()
	<-underway
	restart()
	require.NoError(t, testutil.Recv(t, published, h.Timeout), "with a buffer, no publish fails")
	testutil.Recv(t, reconnected, h.Timeout)
	require.NoError(t, cl.Flush(ctx))
	require.Eventually(t, func() bool { return got.len() >= total }, h.Timeout, time.Millisecond)

	got.mu.Lock()
	defer got.mu.Unlock()
	require.Len(t, got.nums, total)
	for i, n := range got.nums {
		require.Equal(t, i, n, "in order, none lost, none twice")
	}
}

func TestWithoutReconnectBufferNothingIsSilentlyDropped(t *testing.T) {
	const total = 10000
	path := testutil.SocketPath(t)
	var got received
	restart := restartingServer(t, path, &got)
	disconnected := make(chan error, 1)
	cl := newClient(t, path, client.OnDisconnect(func(err error) { disconnected <- err }))
	require.NoError(t, cl.Connect(testutil.Context(t, h.Timeout)))

	ctx := testutil.Context(t, h.Timeout)
	failed := make(map[int]bool)
	done := make(chan struct{})
	underway := make(chan struct{})
	go func() {
		defer close(done)
		for i := range total {
			if i == total/10 {
				close(underway)
				<-disconnected
			}
			if err := topic.Publish(ctx, cl, h.A, h.Msg{N: i}); err != nil {
				if !errors.Is(err, topic.ErrNotConnected) {
					t.Errorf("publish %d: %v", i, err)
				}
				failed[i] = true
			}
		}
	}()
	<-underway
	restart()
	testutil.Recv(t, done, h.Timeout)
	require.NotEmpty(t, failed, "some publishes happened while disconnected")
	require.Eventually(t, func() bool { return cl.Connected() }, h.Timeout, time.Millisecond)
	require.NoError(t, cl.Flush(ctx))
	require.Eventually(t, func() bool { return got.len()+len(failed) >= total }, h.Timeout, time.Millisecond)

	got.mu.Lock()
	defer got.mu.Unlock()
	delivered := make(map[int]bool)
	for _, n := range got.nums {
		require.False(t, delivered[n], "%d delivered twice", n)
		delivered[n] = true
	}
	for i := range total {
		require.True(t, delivered[i] != failed[i], "message %d: delivered %v, failed %v", i, delivered[i], failed[i])
	}
}

func TestReconnectBufferFull(t *testing.T) {
	path := testutil.SocketPath(t)
	srv, err := server.New(path)
	require.NoError(t, err)
	require.NoError(t, srv.Listen())
	go srv.Serve(context.Background())
	disconnected := make(chan error, 1)
	cl := newClient(t, path, client.WithReconnectBuffer(1024), client.WithReconnect(time.Hour, time.Hour),
		client.OnDisconnect(func(err error) { disconnected <- err }))
	require.NoError(t, cl.Connect(testutil.Context(t, h.Timeout)))
	require.NoError(t, srv.Close())
	testutil.Recv(t, disconnected, h.Timeout)

	ctx := testutil.Context(t, h.Timeout)
	var err2 error
	for i := 0; err2 == nil && i < 100; i++ {
		err2 = topic.Publish(ctx, cl, h.A, h.Msg{N: i, Text: "0123456789012345678901234567890123456789"})
	}
	require.ErrorIs(t, err2, topic.ErrReconnectBufferFull)
	_, err = topic.Call(ctx, cl, topic.NewProcedure[int, int]("x"), 1)
	require.ErrorIs(t, err, topic.ErrNotConnected, "calls are not buffered")
}
