package server_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
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

var (
	block = topic.NewProcedure[string, string]("test.block")
	boom  = topic.NewProcedure[int, int]("test.panic")
)

func TestPanicIsRecoveredAndServerGoesOn(t *testing.T) {
	onError, errs := h.Errors()
	srv, path := h.Server(t, server.OnError(onError))
	h.HandleAdd(t, srv)
	_, err := topic.Handle(srv, boom, func(ctx context.Context, n int, _ topic.Peer) (int, error) {
		panic(fmt.Sprintf("boom %d", n))
	})
	require.NoError(t, err)
	cl := h.Client(t, path, nil)
	ctx := testutil.Context(t, h.Timeout)

	_, err = topic.Call(ctx, cl, boom, 7)
	re, ok := errors.AsType[*topic.RemoteError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, topic.CodeInternal, re.Code)
	assert.Contains(t, testutil.Recv(t, errs, h.Timeout).Error(), "boom 7", "the panic is reported")

	sum, err := topic.Call(ctx, cl, h.Add, h.AddArgs{A: 1, B: 1})
	require.NoError(t, err)
	require.Equal(t, 2, sum)
}

func TestDeadlineTravelsToHandler(t *testing.T) {
	srv, path := h.Server(t)
	handlerDeadline := make(chan time.Time, 1)
	_, err := topic.Handle(srv, block, func(ctx context.Context, _ string, _ topic.Peer) (string, error) {
		d, ok := ctx.Deadline()
		if !ok {
			return "", errors.New("no deadline")
		}
		handlerDeadline <- d
		return "ok", nil
	})
	require.NoError(t, err)
	cl := h.Client(t, path, nil)

	deadline := time.Now().Add(3 * time.Second)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	_, err = topic.Call(ctx, cl, block, "x")
	require.NoError(t, err)
	got := testutil.Recv(t, handlerDeadline, h.Timeout)
	// The remaining time travels, so the handler's deadline is the same
	// instant give or take the time in transit.
	assert.WithinDuration(t, deadline, got, 100*time.Millisecond)
}

func TestCancelReachesHandler(t *testing.T) {
	srv, path := h.Server(t)
	started := make(chan struct{})
	handlerDone := make(chan error, 1)
	_, err := topic.Handle(srv, block, func(ctx context.Context, _ string, _ topic.Peer) (string, error) {
		close(started)
		<-ctx.Done()
		handlerDone <- ctx.Err()
		return "", ctx.Err()
	})
	require.NoError(t, err)
	cl := h.Client(t, path, nil)

	ctx, cancel := context.WithCancel(context.Background())
	cancelBlockedCall(t, ctx, cancel, cl, started)
	require.ErrorIs(t, testutil.Recv(t, handlerDone, time.Second), context.Canceled)

	// The cancelled call ended the call only, not the connection.
	h.HandleAdd(t, srv)
	sum, err := topic.Call(testutil.Context(t, h.Timeout), cl, h.Add, h.AddArgs{A: 4, B: 5})
	require.NoError(t, err)
	require.Equal(t, 9, sum)
}

// cancelBlockedCall calls block from cl with ctx, cancels ctx once the
// handler has started, and checks that the call ends as cancelled.
func cancelBlockedCall[T any](t *testing.T, ctx context.Context, cancel context.CancelFunc, cl *client.Client, started <-chan T) {
	t.Helper()
	callErr := make(chan error, 1)
	go func() {
		_, err := topic.Call(ctx, cl, block, "x")
		callErr <- err
	}()
	testutil.Recv(t, started, h.Timeout)
	cancel()
	require.ErrorIs(t, testutil.Recv(t, callErr, h.Timeout), context.Canceled)
}

func TestCallFailsFastWhenConnectionIsLost(t *testing.T) {
	srv, path := h.Server(t)
	started := make(chan struct{})
	_, err := topic.Handle(srv, block, func(ctx context.Context, _ string, _ topic.Peer) (string, error) {
		close(started)
		<-ctx.Done()
		return "", ctx.Err()
	})
	require.NoError(t, err)
	cl := h.Client(t, path, nil)

	callErr := make(chan error, 1)
	go func() {
		_, err := topic.Call(context.Background(), cl, block, "x")
		callErr <- err
	}()
	testutil.Recv(t, started, h.Timeout)
	require.NoError(t, srv.Close())
	require.ErrorIs(t, testutil.Recv(t, callErr, time.Second), topic.ErrConnectionLost)
}

// The pub/sub, send-to-one, relay and call tests shared by every
// transport are in internal/conformance; these are the unix-only extras.

// A server calls one client, named by its id; topic.Call, which names no
// client, is refused on a server.
func TestServerCallNeedsAKnownClient(t *testing.T) {
	srv, _ := h.Server(t)
	_, err := server.Call(testutil.Context(t, h.Timeout), srv, "no-such-client", h.WhoAmI, struct{}{})
	require.ErrorIs(t, err, topic.ErrUnknownClient)
	_, err = topic.Call(testutil.Context(t, h.Timeout), srv, h.WhoAmI, struct{}{})
	require.ErrorIs(t, err, topic.ErrUnsupported, "a server must name the client")
}

func TestReplyOfWrongTypeIsDecodeError(t *testing.T) {
	srv, path := h.Server(t)
	_, err := topic.Handle(srv, topic.NewProcedure[string, string]("test.text"), func(ctx context.Context, s string, _ topic.Peer) (string, error) {
		return "not a number", nil
	})
	require.NoError(t, err)
	cl := h.Client(t, path, nil)
	_, err = topic.Call(testutil.Context(t, h.Timeout), cl, topic.NewProcedure[string, int]("test.text"), "x")
	de, ok := errors.AsType[*topic.DecodeError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "test.text", de.Topic)
}

func TestRequestOfWrongTypeIsBadRequest(t *testing.T) {
	srv, path := h.Server(t)
	h.HandleAdd(t, srv)
	cl := h.Client(t, path, nil)
	_, err := topic.Call(testutil.Context(t, h.Timeout), cl, topic.NewProcedure[string, int]("math.add"), "x")
	re, ok := errors.AsType[*topic.RemoteError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, topic.CodeBadRequest, re.Code)
}

func TestHandleTwiceIsRefused(t *testing.T) {
	srv, _ := h.Server(t)
	h.HandleAdd(t, srv)
	_, err := topic.Handle(srv, h.Add, func(context.Context, h.AddArgs, topic.Peer) (int, error) { return 0, nil })
	require.ErrorIs(t, err, topic.ErrAlreadyRegistered)
}

func TestUnhandleRemovesHandler(t *testing.T) {
	srv, path := h.Server(t)
	sub, err := topic.Handle(srv, h.Add, func(context.Context, h.AddArgs, topic.Peer) (int, error) { return 1, nil })
	require.NoError(t, err)
	cl := h.Client(t, path, nil)
	ctx := testutil.Context(t, h.Timeout)
	_, err = topic.Call(ctx, cl, h.Add, h.AddArgs{})
	require.NoError(t, err)
	require.NoError(t, sub.Unsubscribe())
	_, err = topic.Call(ctx, cl, h.Add, h.AddArgs{})
	require.ErrorIs(t, err, topic.ErrNoHandler)
}

// recorder is an interceptor that notes its name, then calls next.
func recorder(name string, log chan<- string) topic.Interceptor {
	return func(next topic.InboundFunc) topic.InboundFunc {
		return func(ctx context.Context, m topic.RawMessage, from topic.Peer) ([]byte, error) {
			log <- fmt.Sprintf("%s:%s:%s:%s", name, m.Kind(), m.Topic(), m.Headers()["trace"])
			return next(ctx, m, from)
		}
	}
}

func TestInterceptorsRunInOrderOnMessagesAndCalls(t *testing.T) {
	log := make(chan string, 10)
	srv, path := h.Server(t, server.WithInterceptor(recorder("first", log)), server.WithInterceptor(recorder("second", log)))
	h.HandleAdd(t, srv)
	inbox := make(chan string, 1)
	_, err := topic.Subscribe(srv, h.A, func(ctx context.Context, m h.Msg, _ topic.Peer) {
		inbox <- topic.IncomingHeaders(ctx)["trace"]
	})
	require.NoError(t, err)
	cl := h.Client(t, path, nil)
	ctx := topic.WithHeaders(testutil.Context(t, h.Timeout), map[string]string{"trace": "t1"})

	require.NoError(t, topic.Publish(ctx, cl, h.A, h.Msg{}))
	require.Equal(t, "t1", testutil.Recv(t, inbox, h.Timeout), "the handler sees the headers")
	require.Equal(t, "first:message:test.a:t1", <-log)
	require.Equal(t, "second:message:test.a:t1", <-log)

	_, err = topic.Call(ctx, cl, h.Add, h.AddArgs{A: 1, B: 2})
	require.NoError(t, err)
	require.Equal(t, "first:call:math.add:t1", <-log)
	require.Equal(t, "second:call:math.add:t1", <-log)
}

func TestInterceptorRefusalReachesCaller(t *testing.T) {
	onError, errs := h.Errors()
	onlyAlice := func(next topic.InboundFunc) topic.InboundFunc {
		return func(ctx context.Context, m topic.RawMessage, from topic.Peer) ([]byte, error) {
			if from.Name != "alice" {
				return nil, topic.NewError("permission_denied", from.Name+" may not")
			}
			return next(ctx, m, from)
		}
	}
	srv, path := h.Server(t, server.WithInterceptor(onlyAlice), server.OnError(onError))
	h.HandleAdd(t, srv)
	inbox := h.Inbox(t, srv, h.A)
	alice := h.Client(t, path, nil, client.WithName("alice"))
	bob := h.Client(t, path, nil, client.WithName("bob"))
	ctx := testutil.Context(t, h.Timeout)

	_, err := topic.Call(ctx, bob, h.Add, h.AddArgs{A: 1, B: 2})
	re, ok := errors.AsType[*topic.RemoteError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "permission_denied", re.Code)
	assert.Equal(t, "bob may not", re.Message)
	sum, err := topic.Call(ctx, alice, h.Add, h.AddArgs{A: 1, B: 2})
	require.NoError(t, err)
	require.Equal(t, 3, sum)

	// A refused message is reported on the receiving side, and dropped.
	require.NoError(t, topic.Publish(ctx, bob, h.A, h.Msg{N: 1}))
	require.Contains(t, testutil.Recv(t, errs, h.Timeout).Error(), "bob may not")
	require.NoError(t, topic.Publish(ctx, alice, h.A, h.Msg{N: 2}))
	require.Equal(t, 2, testutil.Recv(t, inbox, h.Timeout).Msg.N)
}

// When every handler slot of a connection is busy, the server stops
// reading from it; other connections go on.
func TestHandlerConcurrencyIsBoundedPerConnection(t *testing.T) {
	srv, path := h.Server(t, server.WithMaxHandlers(2))
	release := make(chan struct{})
	running := make(chan struct{}, 10)
	_, err := topic.Handle(srv, block, func(ctx context.Context, _ string, _ topic.Peer) (string, error) {
		running <- struct{}{}
		<-release
		return "done", nil
	})
	require.NoError(t, err)
	h.HandleAdd(t, srv)
	busy := h.Client(t, path, nil)
	other := h.Client(t, path, nil)
	ctx := testutil.Context(t, h.Timeout)

	results := make(chan error, 3)
	for range 3 {
		go func() {
			_, err := topic.Call(ctx, busy, block, "x")
			results <- err
		}()
	}
	testutil.Recv(t, running, h.Timeout)
	testutil.Recv(t, running, h.Timeout)

	// Another client is served at once.
	sum, err := topic.Call(ctx, other, h.Add, h.AddArgs{A: 1, B: 1})
	require.NoError(t, err)
	require.Equal(t, 2, sum)

	// The busy client's third call waits for a slot, and the server reads
	// nothing more from that connection: a quick call behind it waits too.
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_, err = topic.Call(short, busy, h.Add, h.AddArgs{A: 1, B: 1})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	testutil.NoRecv(t, running)

	close(release)
	for range 3 {
		require.NoError(t, testutil.Recv(t, results, h.Timeout))
	}
	sum, err = topic.Call(ctx, busy, h.Add, h.AddArgs{A: 2, B: 2})
	require.NoError(t, err)
	require.Equal(t, 4, sum)
}

// A handler runs on the connection's reading goroutine when its call
// arrived alone; the reading must still go on meanwhile, or a handler
// that calls its own caller back would wait forever for the answer. Both
// sides do it here, at once, nested.
func TestHandlerCanCallItsCallerBack(t *testing.T) {
	outer := topic.NewProcedure[int, int]("test.outer")
	srv, path := h.Server(t)
	_, err := topic.Handle(srv, outer, func(ctx context.Context, n int, from topic.Peer) (int, error) {
		sum, err := server.Call(ctx, srv, from.ID, h.Add, h.AddArgs{A: n, B: 1})
		return sum * 10, err
	})
	require.NoError(t, err)
	cl := h.Client(t, path, nil)
	h.HandleAdd(t, cl)

	ctx := testutil.Context(t, h.Timeout)
	for i := range 100 {
		got, err := topic.Call(ctx, cl, outer, i)
		require.NoError(t, err)
		require.Equal(t, (i+1)*10, got)
	}
}

// Replies are encoded into, and read from, buffers that calls reuse one
// after the other. Replies of many sizes, some beyond what is kept for
// reuse, each reach their own caller whole, both ways: a client calling
// its server and a server calling its client.
func TestRepliesOfManySizesReachTheirCallers(t *testing.T) {
	echo := topic.NewProcedure[string, string]("test.echo")
	srv, path := h.Server(t)
	handleEcho := func(ep topic.Endpoint) {
		_, err := topic.Handle(ep, echo, func(_ context.Context, s string, _ topic.Peer) (string, error) {
			return s, nil
		})
		require.NoError(t, err)
	}
	handleEcho(srv)
	cl := h.Client(t, path, nil)
	handleEcho(cl)

	ctx := testutil.Context(t, h.Timeout)
	sizes := []int{0, 1, 100, 5000, 70 << 10, 3, 200 << 10, 17}
	calls := func(w int) error {
		for i := range 40 {
			in := strings.Repeat(string(rune('a'+w)), sizes[(w+i)%len(sizes)]) + strconv.Itoa(i)
			var out string
			var err error
			if i%2 == 0 {
				out, err = topic.Call(ctx, cl, echo, in)
			} else {
				out, err = server.Call(ctx, srv, cl.ID(), echo, in)
			}
			if err != nil {
				return err
			}
			if out != in {
				return fmt.Errorf("caller %d, call %d: reply of %d bytes differs from its request of %d", w, i, len(out), len(in))
			}
		}
		return nil
	}
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() { errs <- calls(w) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}
