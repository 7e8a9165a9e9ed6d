package server_test

import (
	"context"
	"errors"
	"regexp"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/codec"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestClientIDsAreUUIDv4AndNamesTravel(t *testing.T) {
	connected := make(chan topic.Peer, 2)
	srv, path := h.Server(t, server.OnConnect(func(p topic.Peer) { connected <- p }))
	c1 := h.Client(t, path, nil, client.WithName("worker-1"))
	c2 := h.Client(t, path, nil)

	p1 := testutil.Recv(t, connected, h.Timeout)
	p2 := testutil.Recv(t, connected, h.Timeout)
	require.Regexp(t, uuidV4, c1.ID())
	require.Regexp(t, uuidV4, c2.ID())
	require.NotEqual(t, c1.ID(), c2.ID())
	byID := map[string]topic.Peer{p1.ID: p1, p2.ID: p2}
	require.Equal(t, "worker-1", byID[c1.ID()].Name)
	require.Equal(t, "", byID[c2.ID()].Name)
	require.ElementsMatch(t, []string{c1.ID(), c2.ID()}, []string{srv.Clients()[0].ID, srv.Clients()[1].ID})
}

func TestCatchAllOnServerAndClient(t *testing.T) {
	srv, path := h.Server(t)
	serverAll := make(chan topic.RawMessage, 10)
	_, err := topic.SubscribeAll(srv, func(ctx context.Context, m topic.RawMessage, from topic.Peer) { serverAll <- m })
	require.NoError(t, err)
	clientAll := make(chan topic.RawMessage, 10)
	cl := h.Client(t, path, func(c *client.Client) {
		_, err := topic.SubscribeAll(c, func(ctx context.Context, m topic.RawMessage, from topic.Peer) { clientAll <- m })
		require.NoError(t, err)
	})

	ctx := testutil.Context(t, h.Timeout)
	require.NoError(t, topic.Publish(ctx, cl, h.A, h.Msg{N: 1}))
	require.NoError(t, topic.Publish(ctx, cl, h.B, h.Msg{N: 2}))
	for _, want := range []struct {
		name string
		n    int
	}{{"test.a", 1}, {"test.b", 2}} {
		m := testutil.Recv(t, serverAll, h.Timeout)
		require.Equal(t, want.name, m.Topic())
		var v h.Msg
		require.NoError(t, m.Decode(&v))
		require.Equal(t, want.n, v.N)
	}

	// A client's catch-all receives topics it never named.
	require.NoError(t, topic.Publish(ctx, srv, h.B, h.Msg{N: 3}))
	m := testutil.Recv(t, clientAll, h.Timeout)
	require.Equal(t, "test.b", m.Topic())
	var v h.Msg
	require.NoError(t, m.Decode(&v))
	require.Equal(t, 3, v.N)
}

func TestDecodeErrorIsReportedAndConnectionGoesOn(t *testing.T) {
	onError, errs := h.Errors()
	srv, path := h.Server(t, server.OnError(onError))
	inbox := h.Inbox(t, srv, h.A)
	cl := h.Client(t, path, nil)

	ctx := testutil.Context(t, h.Timeout)
	// A payload that is a msgpack string, not a Msg map.
	require.NoError(t, topic.Publish(ctx, cl, topic.New[string](h.A.Name()), "not a Msg"))
	de := h.WaitErr[*topic.DecodeError](t, errs)
	assert.Equal(t, h.A.Name(), de.Topic)
	assert.Equal(t, cl.ID(), de.ClientID)

	require.NoError(t, topic.Publish(ctx, cl, h.A, h.Msg{N: 7}))
	assert.Equal(t, 7, testutil.Recv(t, inbox, h.Timeout).Msg.N)
}

// A payload announcing an array of four billion elements, in 11 bytes,
// would have the decoder allocate tens of gigabytes: it is refused as
// malformed, the server says so, and serves on. So is a request.
func TestPayloadAnnouncingMoreThanItHoldsIsRefused(t *testing.T) {
	onError, errs := h.Errors()
	srv, path := h.Server(t, server.OnError(onError))
	inbox := h.Inbox(t, srv, h.A)
	h.HandleAdd(t, srv)
	cl := h.Client(t, path, nil)
	bomb := []byte{0x81, 0xa4, 'T', 'e', 'x', 't', 0xdd, 0xff, 0xff, 0xff, 0xff}

	ctx := testutil.Context(t, h.Timeout)
	require.NoError(t, cl.PublishRaw(ctx, h.A.Name(), bomb))
	de := h.WaitErr[*topic.DecodeError](t, errs)
	assert.Equal(t, h.A.Name(), de.Topic)
	assert.ErrorIs(t, de, codec.ErrMalformed)

	_, err := cl.CallRaw(ctx, h.Add.Name(), bomb)
	re, ok := errors.AsType[*topic.RemoteError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, topic.CodeBadRequest, re.Code)

	require.NoError(t, topic.Publish(ctx, cl, h.A, h.Msg{N: 7}))
	assert.Equal(t, 7, testutil.Recv(t, inbox, h.Timeout).Msg.N)
	sum, err := topic.Call(ctx, cl, h.Add, h.AddArgs{A: 2, B: 3})
	require.NoError(t, err)
	assert.Equal(t, 5, sum)
}

func TestSubscribeAfterConnectTakesEffectOnReturn(t *testing.T) {
	srv, path := h.Server(t)
	cl := h.Client(t, path, nil)
	inbox := h.Inbox(t, cl, h.A) // subscribed while connected
	require.NoError(t, topic.Publish(testutil.Context(t, h.Timeout), srv, h.A, h.Msg{N: 5}))
	assert.Equal(t, 5, testutil.Recv(t, inbox, h.Timeout).Msg.N)
}

func TestUnsubscribeStopsDelivery(t *testing.T) {
	srv, path := h.Server(t)
	got := make(chan int, 10)
	var sub topic.Subscription
	cl := h.Client(t, path, func(c *client.Client) {
		var err error
		sub, err = topic.Subscribe(c, h.A, func(ctx context.Context, m h.Msg, _ topic.Peer) { got <- m.N })
		require.NoError(t, err)
	})
	inboxB := h.Inbox(t, cl, h.B)
	ctx := testutil.Context(t, h.Timeout)
	require.NoError(t, topic.Publish(ctx, srv, h.A, h.Msg{N: 1}))
	require.Equal(t, 1, testutil.Recv(t, got, h.Timeout))

	require.NoError(t, sub.Unsubscribe())
	require.NoError(t, sub.Unsubscribe(), "idempotent")
	require.NoError(t, topic.Publish(ctx, srv, h.A, h.Msg{N: 2}))
	require.NoError(t, topic.Publish(ctx, srv, h.B, h.Msg{N: 3}))
	require.Equal(t, 3, testutil.Recv(t, inboxB, h.Timeout).Msg.N)
	testutil.NoRecv(t, got)
}

// Acceptance: 100 clients each publish 1,000 messages; the server's handler
// counts exactly 100,000, and each client's messages arrive in order.
func TestManyClientsPublishInOrder(t *testing.T) {
	const clients, each = 100, 1000
	var mu sync.Mutex
	next := make(map[string]int)
	var outOfOrder []string
	total := 0
	done := make(chan struct{})
	srv, path := h.Server(t)
	_, err := topic.Subscribe(srv, h.A, func(ctx context.Context, m h.Msg, from topic.Peer) {
		mu.Lock()
		defer mu.Unlock()
		if m.N != next[from.ID] {
			outOfOrder = append(outOfOrder, from.ID)
		}
		next[from.ID] = m.N + 1
		total++
		if total == clients*each {
			close(done)
		}
	})
	require.NoError(t, err)

	ctx := testutil.Context(t, 2*h.Timeout)
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for range clients {
		cl := h.Client(t, path, nil)
		wg.Go(func() {
			for i := range each {
				if err := topic.Publish(ctx, cl, h.A, h.Msg{N: i}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatalf("received %d of %d messages", total, clients*each)
	}
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, clients*each, total)
	require.Empty(t, outOfOrder)
	require.Len(t, next, clients)
	for id, n := range next {
		require.Equal(t, each, n, "client %s", id)
	}
}

func TestWrongTopicNames(t *testing.T) {
	srv, _ := h.Server(t)
	ctx := testutil.Context(t, h.Timeout)
	for _, name := range []string{"", "has space", "tab\t", "\x00"} {
		err := srv.PublishRaw(ctx, name, nil)
		require.Error(t, err, "%q", name)
		require.False(t, errors.Is(err, topic.ErrClosed))
	}
}
