package server_test

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

// startBare starts a server that the test stops itself.
func startBare(t *testing.T, path string, opts ...server.Option) (*server.Server, <-chan error) {
	t.Helper()
	srv, err := server.New(path, opts...)
	require.NoError(t, err)
	require.NoError(t, srv.Listen())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(context.Background()) }()
	t.Cleanup(func() { srv.Close() })
	return srv, served
}

// Shutdown with 100 calls in flight and 10,000 messages queued answers
// every call and delivers every message before closing.
func TestShutdownCompletesCallsAndDeliversQueuedMessages(t *testing.T) {
	const calls, msgs = 100, 10000
	path := testutil.SocketPath(t)
	srv, served := startBare(t, path, server.WithMaxHandlers(calls))
	release := make(chan struct{})
	started := make(chan struct{}, calls)
	_, err := topic.Handle(srv, block, func(ctx context.Context, s string, _ topic.Peer) (string, error) {
		started <- struct{}{}
		<-release
		return "done " + s, nil
	})
	require.NoError(t, err)

	disconnected := make(chan error, 1)
	got := make(chan int, msgs)
	gate := make(chan struct{})
	cl := h.Client(t, path, func(c *client.Client) {
		_, err := topic.Subscribe(c, h.A, func(ctx context.Context, m h.Msg, _ topic.Peer) {
			<-gate // the client reads slowly at first, so messages queue up
			got <- m.N
		})
		require.NoError(t, err)
	}, client.OnDisconnect(func(err error) { disconnected <- err }),
		client.WithReconnect(time.Hour, time.Hour))
	ctx := testutil.Context(t, h.Timeout)

	var wg sync.WaitGroup
	answers := make(chan string, calls)
	for i := range calls {
		wg.Go(func() {
			out, err := topic.Call(ctx, cl, block, string(rune('a'+i%26)))
			if err != nil {
				out = err.Error()
			}
			answers <- out
		})
	}
	for range calls {
		testutil.Recv(t, started, h.Timeout)
	}
	for i := range msgs {
		require.NoError(t, topic.Publish(ctx, srv, h.A, h.Msg{N: i}))
	}

	shutdown := make(chan error, 1)
	go func() { shutdown <- srv.Shutdown(ctx) }()
	require.Eventually(t, func() bool {
		return errors.Is(topic.Publish(ctx, srv, h.B, h.Msg{}), topic.ErrClosed)
	}, h.Timeout, time.Millisecond, "no publish once Shutdown began")
	close(release)
	close(gate)
	require.NoError(t, testutil.Recv(t, shutdown, h.Timeout))
	require.NoError(t, testutil.Recv(t, served, h.Timeout))

	wg.Wait()
	close(answers)
	n := 0
	for a := range answers {
		require.Contains(t, a, "done ", "every call was answered")
		n++
	}
	require.Equal(t, calls, n)
	for i := range msgs {
		require.Equal(t, i, testutil.Recv(t, got, h.Timeout), "every queued message was delivered, in order")
	}
	require.NoError(t, testutil.Recv(t, disconnected, h.Timeout), "a graceful shutdown is not an error for the client")
}

func TestShutdownWithShortContextStillClosesEverything(t *testing.T) {
	path := testutil.SocketPath(t)
	srv, served := startBare(t, path)
	started := make(chan struct{})
	_, err := topic.Handle(srv, block, func(ctx context.Context, s string, _ topic.Peer) (string, error) {
		close(started)
		<-ctx.Done() // finishes only when cancelled
		return "", ctx.Err()
	})
	require.NoError(t, err)
	cl := h.Client(t, path, nil, client.WithReconnect(time.Hour, time.Hour))
	callErr := make(chan error, 1)
	go func() {
		_, err := topic.Call(context.Background(), cl, block, "x")
		callErr <- err
	}()
	testutil.Recv(t, started, h.Timeout)

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, srv.Shutdown(ctx), context.DeadlineExceeded)
	require.NoError(t, testutil.Recv(t, served, h.Timeout))
	require.ErrorIs(t, testutil.Recv(t, callErr, h.Timeout), topic.ErrConnectionLost)
	require.Empty(t, srv.Clients())
	require.NoError(t, srv.Shutdown(context.Background()), "a second Shutdown waits and returns")
}
