package nodeinterop_test

import (
	"context"
	"net"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	h "github.com/sockipc/sockipc/internal/harness"
	ni "github.com/sockipc/sockipc/internal/nodeinterop"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/topic"
)

// Node.js server, Go client: every kind of value travels both ways
// unchanged.
func TestNodeServerGoClientValues(t *testing.T) {
	t.Parallel()
	path := testutil.SocketPath(t)
	ns := startNodeServer(t, path)
	gc, id := goClientOf(t, ns, path)
	require.Empty(t, gc.cl.ID(), "the Node.js format never tells a client its id")
	ctx := testutil.Context(t, timeout)

	for _, tc := range valueCases {
		t.Run(tc.name, func(t *testing.T) {
			want := normalize(t, tc.v)

			require.NoError(t, topic.Publish(ctx, gc.cl, values, tc.v))
			ev := ns.Await(t, ni.MessageOn("values"))
			require.Equal(t, id, ev.Client)
			require.True(t, ev.HasMessage)
			requireSame(t, want, decodeAny(t, ev.Message))

			ns.Do(t, cmd("send", "topic", "values", "message", tc.v, "client", id))
			in := gc.recv(t)
			require.Equal(t, "values", in.msg.Topic())
			require.Equal(t, topic.ServerID, in.from.ID)
			requireSame(t, want, decodeAny(t, in.msg.Payload()))
		})
	}

	t.Run("typed object", func(t *testing.T) {
		got := make(chan greeting, 1)
		sub, err := topic.Subscribe(gc.cl, chatHello, func(_ context.Context, g greeting, _ topic.Peer) { got <- g })
		require.NoError(t, err)
		defer sub.Unsubscribe()
		ns.Do(t, cmd("send", "topic", "chat.hello", "client", id,
			"message", map[string]any{"text": "hi", "from": "node", "n": 3, "tags": []string{"a", "b"}}))
		require.Equal(t, greeting{Text: "hi", From: "node", N: 3, Tags: []string{"a", "b"}}, testutil.Recv(t, got, timeout))
		gc.recv(t) // the catch-all's copy

		require.NoError(t, topic.Publish(ctx, gc.cl, chatHello, greeting{Text: "hello", From: "go", N: 4, Tags: []string{"c"}}))
		ev := ns.Await(t, ni.MessageOn("chat.hello"))
		require.Equal(t, map[string]any{"text": "hello", "from": "go", "n": 4.0, "tags": []any{"c"}}, decodeAny(t, ev.Message))
	})

	t.Run("undefined", func(t *testing.T) {
		got := make(chan greeting, 1)
		sub, err := topic.Subscribe(gc.cl, chatHello, func(_ context.Context, g greeting, _ topic.Peer) { got <- g })
		require.NoError(t, err)
		defer sub.Unsubscribe()
		ns.Do(t, cmd("send", "topic", "chat.hello", "client", id))
		require.Equal(t, greeting{}, testutil.Recv(t, got, timeout))
		require.Empty(t, gc.recv(t).msg.Payload())

		require.NoError(t, gc.cl.PublishRaw(ctx, "values", nil))
		ev := ns.Await(t, ni.MessageOn("values"))
		require.False(t, ev.HasMessage, ev.Line)
	})
}

// 1,000 messages sent back to back arrive, all of them and in order, in
// both directions.
func TestNodeServerGoClientBursts(t *testing.T) {
	t.Parallel()
	path := testutil.SocketPath(t)
	ns := startNodeServer(t, path)
	gc, id := goClientOf(t, ns, path)
	const n = 1000

	// Node.js sends them in one synchronous loop.
	ns.Do(t, cmd("burst", "topic", "burst", "count", n, "client", id))
	for i := range n {
		in := gc.recv(t)
		require.Equal(t, "burst", in.msg.Topic())
		require.Equal(t, strconv.Itoa(i), string(in.msg.Payload()))
	}

	ctx := testutil.Context(t, timeout)
	for i := range n {
		require.NoError(t, gc.cl.PublishRaw(ctx, "burst", strconv.AppendInt(nil, int64(i), 10)))
	}
	requireCounting(t, ns.Messages(t, "burst", n))
}

// A Node.js server reads 1,000 messages that arrive in a single write.
func TestNodeServerReadsBurstOfOneWrite(t *testing.T) {
	t.Parallel()
	path := testutil.SocketPath(t)
	ns := startNodeServer(t, path)
	c, err := net.Dial("unix", path)
	require.NoError(t, err)
	ns.Await(t, ni.Is("connection"))

	writeBurstInOneWrite(t, c, "burst", 1000)
	requireCounting(t, ns.Messages(t, "burst", 1000))
}

// The empty topic and dotted topics travel both ways.
func TestNodeServerGoClientTopics(t *testing.T) {
	t.Parallel()
	path := testutil.SocketPath(t)
	ns := startNodeServer(t, path)
	gc, id := goClientOf(t, ns, path)
	ctx := testutil.Context(t, timeout)
	ns.Do(t, cmd("listen", "topic", ""))
	ns.Do(t, cmd("listen", "topic", "chat.room.42"))

	empty := make(chan string, 1)
	_, err := gc.cl.SubscribeRaw("", func(_ context.Context, m topic.RawMessage, _ topic.Peer) error {
		empty <- string(m.Payload())
		return nil
	})
	require.NoError(t, err)
	rooms := make(chan string, 1)
	_, err = topic.Subscribe(gc.cl, room, func(_ context.Context, s string, _ topic.Peer) { rooms <- s })
	require.NoError(t, err)

	require.NoError(t, gc.cl.PublishRaw(ctx, "", []byte(`"empty"`)))
	ev := ns.Await(t, ni.MessageOn(""))
	require.Equal(t, `"empty"`, string(ev.Message))
	ev = ns.Await(t, ni.Is("topic"))
	require.Equal(t, "", ev.Topic)
	require.Equal(t, id, ev.Client)
	require.NoError(t, topic.Publish(ctx, gc.cl, room, "dotted"))
	require.Equal(t, `"dotted"`, string(ns.Await(t, ni.MessageOn("chat.room.42")).Message))
	ev = ns.Await(t, ni.Is("topic"))
	require.Equal(t, "chat.room.42", ev.Topic)

	ns.Do(t, cmd("send", "topic", "", "message", "empty back", "client", id))
	require.Equal(t, "", gc.recv(t).msg.Topic())
	require.Equal(t, `"empty back"`, testutil.Recv(t, empty, timeout))
	ns.Do(t, cmd("send", "topic", "chat.room", "message", "prefix", "client", id))
	ns.Do(t, cmd("send", "topic", "chat.room.42", "message", "dotted back", "client", id))
	require.Equal(t, "chat.room", gc.recv(t).msg.Topic())
	require.Equal(t, "chat.room.42", gc.recv(t).msg.Topic())
	require.Equal(t, "dotted back", testutil.Recv(t, rooms, timeout), "the prefix is another topic")
}

// A broadcast of the Node.js server reaches every Go client; a send
// reaches the one named.
func TestNodeServerBroadcastAndSendToGoClients(t *testing.T) {
	t.Parallel()
	path := testutil.SocketPath(t)
	ns := startNodeServer(t, path)
	var gcs [3]*goClient
	var ids [3]string
	for i := range gcs {
		gcs[i], ids[i] = goClientOf(t, ns, path)
	}

	ns.Do(t, cmd("broadcast", "topic", "news", "message", "for everyone"))
	for _, gc := range gcs {
		require.Equal(t, `"for everyone"`, string(gc.recv(t).msg.Payload()))
	}
	ns.Do(t, cmd("send", "topic", "news", "message", "for you", "client", ids[1]))
	ns.Do(t, cmd("broadcast", "topic", "news", "message", "marker"))
	require.Equal(t, `"for you"`, string(gcs[1].recv(t).msg.Payload()))
	for _, gc := range gcs {
		require.Equal(t, `"marker"`, string(gc.recv(t).msg.Payload()), "only the one named got the first")
	}
}

// A Go client reconnects to a Node.js server that closed and started again
// on the same path.
func TestGoClientReconnectsAfterNodeServerRestart(t *testing.T) {
	t.Parallel()
	path := testutil.SocketPath(t)
	ns := startNodeServer(t, path)
	gc, _ := goClientOf(t, ns, path)
	ns.Do(t, cmd("close"))
	require.Equal(t, "disconnect", gc.nextEvent(t))

	ns = startNodeServer(t, path)
	id := ns.Await(t, ni.Is("connection")).Client
	require.Equal(t, "connect", gc.nextEvent(t))
	require.Equal(t, "reconnect", gc.nextEvent(t))
	requireClientTalking(t, ns, gc, id)
}

// A Go client reconnects to a new Node.js server after the old one was
// killed; the new one reclaims the stale socket file.
func TestGoClientReconnectsAfterNodeServerCrash(t *testing.T) {
	t.Parallel()
	path := testutil.SocketPath(t)
	ns := startNodeServer(t, path)
	gc, _ := goClientOf(t, ns, path)
	ns.Kill(t)
	require.Equal(t, "disconnect", gc.nextEvent(t))

	ns = startNodeServer(t, path)
	id := ns.Await(t, ni.Is("connection")).Client
	require.Equal(t, "connect", gc.nextEvent(t))
	require.Equal(t, "reconnect", gc.nextEvent(t))
	requireClientTalking(t, ns, gc, id)
}

// A message the Go client cannot decode is reported, and the connection
// goes on.
func TestGoClientReportsNodeMessageWithoutTopic(t *testing.T) {
	t.Parallel()
	path := testutil.SocketPath(t)
	ns := startNodeServer(t, path)
	gc, id := goClientOf(t, ns, path)
	// JSON.stringify leaves out an undefined topic.
	ns.Do(t, cmd("send", "message", 1, "client", id))
	ns.Do(t, cmd("send", "topic", "after", "message", 2, "client", id))
	de := h.WaitErr[*topic.DecodeError](t, gc.errs)
	assert.ErrorContains(t, de, "no topic")
	in := gc.recv(t)
	require.Equal(t, "after", in.msg.Topic())
	require.Equal(t, "2", string(in.msg.Payload()))
}

// requireClientTalking checks that a Go client and a Node.js server
// exchange messages both ways.
func requireClientTalking(t *testing.T, ns *ni.Proc, gc *goClient, id string) {
	t.Helper()
	require.NoError(t, topic.Publish(testutil.Context(t, timeout), gc.cl, news, "from go"))
	ev := ns.Await(t, ni.MessageOn("news"))
	require.Equal(t, id, ev.Client)
	require.Equal(t, `"from go"`, string(ev.Message))
	ns.Do(t, cmd("send", "topic", "news", "message", "from node", "client", id))
	require.Equal(t, `"from node"`, string(gc.recv(t).msg.Payload()))
}
