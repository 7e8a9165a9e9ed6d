package nats_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	natsgo "github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	sockserver "github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
	sknats "github.com/sockipc/sockipc/transport/nats"
	"github.com/sockipc/sockipc/transport/nats/internal/embedded"
)

var (
	add    = topic.NewProcedure[[2]int, int]("math.add")
	whoAmI = topic.NewProcedure[struct{}, string]("test.whoami")
)

// cluster is a three-node NATS cluster with a sockipc server on node 1
// (relaying client publishes), and helpers for clients on the others.
type cluster struct {
	nodes []*server.Server
	name  string
	srv   *sockserver.Server
	in    *received // what the server's handler of topic A got
}

func newCluster(t *testing.T) *cluster {
	t.Helper()
	nodes, err := embedded.Cluster(3)
	require.NoError(t, err)
	t.Cleanup(func() { embedded.Shutdown(nodes...) })
	c := &cluster{nodes: nodes, name: name(), in: new(received)}
	tr := newTransportAt(t, nodes[0].ClientURL(), quickReconnect)
	c.srv = h.ServerAt(t, c.name, sockserver.WithTransport(tr), sockserver.WithRelay())
	_, err = topic.Subscribe(c.srv, h.A, c.in.handle)
	require.NoError(t, err)
	_, err = topic.Handle(c.srv, add, func(_ context.Context, a [2]int, _ topic.Peer) (int, error) { return a[0] + a[1], nil })
	require.NoError(t, err)
	return c
}

// client connects a sockipc client through node i first, falling back to
// node 2 (index 1).
func (c *cluster) client(t *testing.T, i int, topts []sknats.Option, setup func(*client.Client), opts ...client.Option) (*client.Client, *sknats.Transport) {
	t.Helper()
	urls := []string{c.nodes[i].ClientURL(), c.nodes[1].ClientURL()}
	tr := newTransportAt(t, urls[0], append([]sknats.Option{sknats.WithURL(urls[1]), quickReconnect,
		sknats.WithNATSOptions(natsgo.DontRandomize())}, topts...)...)
	return h.Client(t, c.name, setup, append([]client.Option{client.WithTransport(tr)}, opts...)...), tr
}

// received collects the numbers a handler gets.
type received struct {
	mu   sync.Mutex
	nums []int
}

func (r *received) handle(_ context.Context, m h.Msg, _ topic.Peer) {
	r.mu.Lock()
	r.nums = append(r.nums, m.N)
	r.mu.Unlock()
}

func (r *received) snapshot() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int(nil), r.nums...)
}

// publishThrough publishes 0..n-1 on A from cl, shutting node down once a
// quarter of them reached the server. It returns the first publish error.
func (c *cluster) publishThrough(t *testing.T, cl *client.Client, n int, node *server.Server) error {
	t.Helper()
	ctx := testutil.Context(t, h.Timeout)
	for i := range n {
		if i == n/4 {
			require.Eventually(t, func() bool { return len(c.in.snapshot()) >= n/8 }, h.Timeout, time.Millisecond)
			node.Shutdown()
		}
		if err := topic.Publish(ctx, cl, h.A, h.Msg{N: i}); err != nil {
			return err
		}
	}
	return cl.Flush(ctx)
}

// Server and clients on different nodes exchange messages and calls; the
// node of one client goes down, its NATS connection moves to another node
// within the disconnect grace, and its sockipc connection carries on: no
// disconnect, every message published (reconnect buffer on) delivered
// once, in order, and calls work both ways.
func TestClusterNodeLoss(t *testing.T) {
	const n = 2000
	c := newCluster(t)
	var relayed <-chan h.Received[h.Msg]
	watcher, _ := c.client(t, 1, nil, func(cl *client.Client) { relayed = h.Inbox(t, cl, h.A) })
	disconnected := make(chan error, 1)
	mover, moverTr := c.client(t, 2, nil, func(cl *client.Client) {
		_, err := topic.Handle(cl, whoAmI, func(context.Context, struct{}, topic.Peer) (string, error) { return cl.ID(), nil })
		require.NoError(t, err)
	}, client.WithReconnectBuffer(1<<20), client.OnDisconnect(func(err error) { disconnected <- err }))

	ctx := testutil.Context(t, h.Timeout)
	sum, err := topic.Call(ctx, watcher, add, [2]int{1, 2})
	require.NoError(t, err)
	require.Equal(t, 3, sum)

	require.NoError(t, c.publishThrough(t, mover, n, c.nodes[2]))
	require.Eventually(t, func() bool { return len(c.in.snapshot()) >= n }, h.Timeout, time.Millisecond)
	got := c.in.snapshot()
	require.Len(t, got, n)
	for i, v := range got {
		require.Equal(t, i, v, "in order, none lost, none twice")
	}
	for i := range n {
		require.Equal(t, i, testutil.Recv(t, relayed, h.Timeout).Msg.N, "relayed to the client on node 2")
	}
	require.Equal(t, c.nodes[1].ClientURL(), moverTr.Conn().ConnectedUrl(), "moved to node 2")
	testutil.NoRecv(t, disconnected)

	id, err := sockserver.Call(ctx, c.srv, mover.ID(), whoAmI, struct{}{})
	require.NoError(t, err)
	require.Equal(t, mover.ID(), id)
	sum, err = topic.Call(ctx, mover, add, [2]int{2, 3})
	require.NoError(t, err)
	require.Equal(t, 5, sum)
}

// The same with no disconnect grace: the sockipc connection ends with the
// node, and the client reconnects over a new connection through another
// node. Messages published from the moment the client knows it is
// disconnected wait in the reconnect buffer and arrive; ones already on
// their way when the node died may be lost, as on a broken socket. Every
// message arrives at most once, in order.
func TestClusterNodeLossPastGrace(t *testing.T) {
	const n = 2000
	c := newCluster(t)
	reconnected := make(chan struct{}, 1)
	var mu sync.Mutex
	firstBuffered := -1
	published := 0
	mover, _ := c.client(t, 2, []sknats.Option{sknats.WithDisconnectGrace(0)}, nil,
		client.WithReconnectBuffer(1<<20), client.WithReconnect(time.Millisecond, 5*time.Millisecond),
		client.OnDisconnect(func(error) {
			mu.Lock()
			firstBuffered = published
			mu.Unlock()
		}),
		client.OnReconnect(func() { reconnected <- struct{}{} }))

	ctx := testutil.Context(t, h.Timeout)
	for i := range n {
		if i == n/4 {
			require.Eventually(t, func() bool { return len(c.in.snapshot()) >= n/8 }, h.Timeout, time.Millisecond)
			c.nodes[2].Shutdown()
		}
		err := topic.Publish(ctx, mover, h.A, h.Msg{N: i})
		require.False(t, errors.Is(err, topic.ErrReconnectBufferFull))
		require.NoError(t, err)
		mu.Lock()
		published = i + 1
		mu.Unlock()
	}
	testutil.Recv(t, reconnected, h.Timeout)
	sum, err := topic.Call(ctx, mover, add, [2]int{2, 3})
	require.NoError(t, err, "calls work on the new connection")
	require.Equal(t, 5, sum)
	// A last message, published on the new connection, arrives after
	// everything before it.
	require.NoError(t, topic.Publish(ctx, mover, h.A, h.Msg{N: n}))
	require.Eventually(t, func() bool {
		got := c.in.snapshot()
		return len(got) > 0 && got[len(got)-1] == n
	}, h.Timeout, time.Millisecond)

	mu.Lock()
	from := firstBuffered
	mu.Unlock()
	require.GreaterOrEqual(t, from, 0, "the client saw the disconnect")
	got := c.in.snapshot()
	seen := make(map[int]bool, len(got))
	for i, v := range got {
		require.False(t, seen[v], "%d delivered twice", v)
		seen[v] = true
		if i > 0 {
			require.Greater(t, v, got[i-1], "in order")
		}
	}
	for i := from + 1; i < n; i++ {
		require.True(t, seen[i], "message %d, published after the disconnect was known, was lost", i)
	}
	t.Logf("%d of %d delivered; the client knew of the disconnect after %d publishes", len(got)-1, n, from)
}
