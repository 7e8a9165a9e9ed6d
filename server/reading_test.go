package server_test

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

// A client that listens for nothing stops reading once its calls are
// answered, and its next caller reads its own answer; a server's reader
// runs a lone call's handler itself. These tests check that nothing the
// peer sends meanwhile is left unread.

// add makes one call of h.Add, after which a client that listens for
// nothing has released its reading.
func add(t *testing.T, cl topic.Endpoint, a, b int) {
	t.Helper()
	sum, err := topic.Call(testutil.Context(t, h.Timeout), cl, h.Add, h.AddArgs{A: a, B: b})
	require.NoError(t, err)
	require.Equal(t, a+b, sum)
}

// handleBlock makes srv answer block once release is closed, telling
// started when a call has begun.
func handleBlock(t *testing.T, srv *server.Server) (started <-chan struct{}, release chan<- struct{}) {
	begun, free := make(chan struct{}, 1), make(chan struct{})
	_, err := topic.Handle(srv, block, func(ctx context.Context, s string, _ topic.Peer) (string, error) {
		begun <- struct{}{}
		select {
		case <-free:
			return s, nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	})
	require.NoError(t, err)
	return begun, free
}

// A caller reading its own answer still returns when its context ends,
// and the connection reads on as before.
func TestCallerReadingItsAnswerCanBeCancelled(t *testing.T) {
	srv, path := h.Server(t)
	h.HandleAdd(t, srv)
	started, _ := handleBlock(t, srv)
	cl := h.Client(t, path, nil)
	add(t, cl, 1, 2)
	add(t, cl, 3, 4) // its caller reads its answer, with a context of its own

	ctx, cancel := context.WithCancel(context.Background())
	cancelBlockedCall(t, ctx, cancel, cl, started)
	for i := range 3 {
		add(t, cl, i, 10)
	}
}

// The end of the connection is noticed while no call is in flight.
func TestIdleCallerNoticesTheServerLeaving(t *testing.T) {
	srv, path := h.Server(t)
	h.HandleAdd(t, srv)
	gone := make(chan error, 1)
	cl := h.Client(t, path, nil, client.OnDisconnect(func(err error) { gone <- err }))
	add(t, cl, 1, 2)

	require.NoError(t, srv.Close())
	testutil.Recv(t, gone, h.Timeout)
}

// A handler the reader runs itself and that blocks does not hold up the
// next call from the same client.
func TestBlockedHandlerLetsTheNextCallThrough(t *testing.T) {
	srv, path := h.Server(t)
	h.HandleAdd(t, srv)
	started, release := handleBlock(t, srv)
	cl := h.Client(t, path, nil)
	add(t, cl, 1, 2)

	got := make(chan string, 1)
	go func() {
		s, err := topic.Call(testutil.Context(t, h.Timeout), cl, block, "blocked")
		if err != nil {
			s = err.Error()
		}
		got <- s
	}()
	testutil.Recv(t, started, h.Timeout)
	add(t, cl, 3, 4) // while the first handler still blocks
	close(release)
	require.Equal(t, "blocked", testutil.Recv(t, got, h.Timeout))
}

// A client that starts listening after its calls receives what it
// subscribed to.
func TestSubscribingAfterCallsReceives(t *testing.T) {
	srv, path := h.Server(t)
	h.HandleAdd(t, srv)
	cl := h.Client(t, path, nil)
	add(t, cl, 1, 2)

	news := topic.New[string]("test.news")
	inbox := h.Inbox(t, cl, news)
	for i := range 3 {
		require.NoError(t, topic.Publish(testutil.Context(t, h.Timeout), srv, news, "hello"))
		require.Equal(t, "hello", testutil.Recv(t, inbox, h.Timeout).Msg, "message %d", i)
		add(t, cl, i, 1)
	}
}

// Calls that share a context share what watches its end: cancelling it
// during a later call still ends that call, and the connection reads on.
func TestCallsSharingAContextCanBeCancelled(t *testing.T) {
	srv, path := h.Server(t)
	h.HandleAdd(t, srv)
	started, _ := handleBlock(t, srv)
	cl := h.Client(t, path, nil)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := range 3 {
		sum, err := topic.Call(ctx, cl, h.Add, h.AddArgs{A: i, B: 1})
		require.NoError(t, err)
		require.Equal(t, i+1, sum)
	}
	cancelBlockedCall(t, ctx, cancel, cl, started)

	_, err := topic.Call(ctx, cl, h.Add, h.AddArgs{A: 1, B: 1})
	require.ErrorIs(t, err, context.Canceled, "a call with an ended context")
	add(t, cl, 2, 3)
}
