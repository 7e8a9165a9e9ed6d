// Package harness starts servers and clients for tests, and closes them
// when the test ends.
package harness

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// Timeout bounds every wait in tests.
const Timeout = 10 * time.Second

// Msg is the payload of the test topics.
type Msg struct {
	N    int
	Text string
}

// Test topics.
var (
	A = topic.New[Msg]("test.a")
	B = topic.New[Msg]("test.b")
)

// Server starts a server on a fresh socket path and returns it with its
// path. It is closed when the test ends.
func Server(t testing.TB, opts ...server.Option) (*server.Server, string) {
	t.Helper()
	path := testutil.SocketPath(t)
	return ServerAt(t, path, opts...), path
}

// ServerAt starts a server on path.
func ServerAt(t testing.TB, path string, opts ...server.Option) *server.Server {
	t.Helper()
	srv, err := server.New(path, opts...)
	require.NoError(t, err)
	require.NoError(t, srv.Listen())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(context.Background()) }()
	t.Cleanup(func() {
		require.NoError(t, srv.Close())
		require.NoError(t, <-served)
	})
	return srv
}

// Client makes a client of the server at path, lets setup subscribe, then
// connects it. It is closed when the test ends.
func Client(t testing.TB, path string, setup func(*client.Client), opts ...client.Option) *client.Client {
	t.Helper()
	cl, err := client.New(path, append([]client.Option{client.WithRetry(5*time.Millisecond, 20*time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, cl.Close()) })
	if setup != nil {
		setup(cl)
	}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	require.NoError(t, cl.Connect(ctx))
	return cl
}

// Inbox subscribes to t on ep and returns the channel its messages arrive on.
func Inbox[T any](t testing.TB, ep topic.Endpoint, tp topic.Topic[T]) <-chan Received[T] {
	t.Helper()
	ch := make(chan Received[T], 1024)
	_, err := topic.Subscribe(ep, tp, func(ctx context.Context, v T, from topic.Peer) {
		ch <- Received[T]{Msg: v, From: from}
	})
	require.NoError(t, err)
	return ch
}

// Received is a message with its sender.
type Received[T any] struct {
	Msg  T
	From topic.Peer
}

// Errors returns an OnError-style callback and the channel it feeds.
func Errors() (func(error), <-chan error) {
	ch := make(chan error, 1024)
	return func(err error) {
		select {
		case ch <- err:
		default:
		}
	}, ch
}

// WaitErr waits for an error on ch that matches target with errors.As.
func WaitErr[E error](t testing.TB, ch <-chan error) E {
	t.Helper()
	deadline := time.After(Timeout)
	for {
		select {
		case err := <-ch:
			if e, ok := errors.AsType[E](err); ok {
				return e
			}
		case <-deadline:
			var zero E
			t.Fatalf("no %T reported within %v", zero, Timeout)
			return zero
		}
	}
}

// AddArgs are the arguments of Add.
type AddArgs struct{ A, B int }

// Test procedures.
var (
	Add    = topic.NewProcedure[AddArgs, int]("math.add")
	WhoAmI = topic.NewProcedure[struct{}, string]("test.whoami")
)

// HandleAdd makes ep answer Add; a negative A is an application error with
// the code "negative".
func HandleAdd(t testing.TB, ep topic.Endpoint) {
	t.Helper()
	_, err := topic.Handle(ep, Add, func(ctx context.Context, a AddArgs, _ topic.Peer) (int, error) {
		if a.A < 0 {
			return 0, topic.NewError("negative", fmt.Sprintf("%d is negative", a.A))
		}
		return a.A + a.B, nil
	})
	require.NoError(t, err)
}
