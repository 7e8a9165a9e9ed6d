package nodeinterop_test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	h "github.com/sockipc/sockipc/internal/harness"
	ni "github.com/sockipc/sockipc/internal/nodeinterop"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// Go server, Node.js clients: every kind of value travels both ways
// unchanged.
func TestGoServerNodeClientValues(t *testing.T) {
	t.Parallel()
	gs := startGoServer(t, testutil.SocketPath(t))
	nc, peer := gs.nodeClient(t)
	ctx := testutil.Context(t, timeout)

	for _, tc := range valueCases {
		t.Run(tc.name, func(t *testing.T) {
			want := normalize(t, tc.v)

			nc.Do(t, cmd("send", "topic", "values", "message", tc.v))
			in := gs.recv(t)
			require.Equal(t, "values", in.msg.Topic())
			require.Equal(t, peer.ID, in.from.ID)
			requireSame(t, want, decodeAny(t, in.msg.Payload()))

			require.NoError(t, topic.Publish(ctx, gs.srv, values, tc.v))
			ev := nc.Await(t, ni.MessageOn("values"))
			require.True(t, ev.HasMessage)
			requireSame(t, want, decodeAny(t, ev.Message))
		})
	}

	t.Run("typed object", func(t *testing.T) {
		got := make(chan greeting, 1)
		sub, err := topic.Subscribe(gs.srv, chatHello, func(_ context.Context, g greeting, from topic.Peer) { got <- g })
		require.NoError(t, err)
		defer sub.Unsubscribe()
		nc.Do(t, cmd("send", "topic", "chat.hello", "message", map[string]any{"text": "hi", "from": "node", "n": 3, "tags": []string{"a", "b"}}))
		require.Equal(t, greeting{Text: "hi", From: "node", N: 3, Tags: []string{"a", "b"}}, testutil.Recv(t, got, timeout))
		gs.recv(t) // the catch-all's copy

		require.NoError(t, topic.Publish(ctx, gs.srv, chatHello, greeting{Text: "hello", From: "go", N: 4, Tags: []string{"c"}}))
		ev := nc.Await(t, ni.MessageOn("chat.hello"))
		require.Equal(t, map[string]any{"text": "hello", "from": "go", "n": 4.0, "tags": []any{"c"}}, decodeAny(t, ev.Message))
	})

	t.Run("undefined", func(t *testing.T) {
		// Node.js leaves "message" out; typed subscribers get the zero value.
		got := make(chan greeting, 1)
		sub, err := topic.Subscribe(gs.srv, chatHello, func(_ context.Context, g greeting, _ topic.Peer) { got <- g })
		require.NoError(t, err)
		defer sub.Unsubscribe()
		nc.Do(t, cmd("send", "topic", "chat.hello"))
		require.Equal(t, greeting{}, testutil.Recv(t, got, timeout))
		require.Empty(t, gs.recv(t).msg.Payload())

		// And an empty payload reaches Node.js as undefined.
		require.NoError(t, gs.srv.PublishRaw(ctx, "values", nil))
		ev := nc.Await(t, ni.MessageOn("values"))
		require.False(t, ev.HasMessage, ev.Line)
	})
}

// 1,000 messages sent back to back arrive, all of them and in order, in
// both directions.
func TestGoServerNodeClientBursts(t *testing.T) {
	t.Parallel()
	gs := startGoServer(t, testutil.SocketPath(t))
	nc, _ := gs.nodeClient(t)
	const n = 1000

	// Node.js sends them in one synchronous loop.
	nc.Do(t, cmd("burst", "topic", "burst", "count", n))
	for i := range n {
		in := gs.recv(t)
		require.Equal(t, "burst", in.msg.Topic())
		require.Equal(t, strconv.Itoa(i), string(in.msg.Payload()))
	}

	// The server publishes them as fast as it can.
	ctx := testutil.Context(t, timeout)
	for i := range n {
		require.NoError(t, gs.srv.PublishRaw(ctx, "burst", strconv.AppendInt(nil, int64(i), 10)))
	}
	requireCounting(t, nc.Messages(t, "burst", n))
}

// A Node.js client reads 1,000 messages that arrive in a single write.
func TestNodeClientReadsBurstOfOneWrite(t *testing.T) {
	t.Parallel()
	path := testutil.SocketPath(t)
	ln, err := net.Listen("unix", path)
	require.NoError(t, err)
	defer ln.Close()
	require.NoError(t, ln.(*net.UnixListener).SetDeadline(time.Now().Add(timeout)))
	nc := ni.Start(t, "client.js", path)
	c, err := ln.Accept()
	require.NoError(t, err)
	nc.Await(t, ni.Is("connect"))

	writeBurstInOneWrite(t, c, "burst", 1000)
	requireCounting(t, nc.Messages(t, "burst", 1000))
}

// The empty topic and dotted topics travel both ways, and Node.js emits
// its per-topic events for them.
func TestGoServerNodeClientTopics(t *testing.T) {
	t.Parallel()
	gs := startGoServer(t, testutil.SocketPath(t))
	nc, _ := gs.nodeClient(t)
	ctx := testutil.Context(t, timeout)
	nc.Do(t, cmd("listen", "topic", ""))
	nc.Do(t, cmd("listen", "topic", "chat.room.42"))

	// The raw layer subscribes to the empty topic itself, besides the
	// catch-all.
	empty := make(chan string, 1)
	_, err := gs.srv.SubscribeRaw("", func(_ context.Context, m topic.RawMessage, _ topic.Peer) error {
		empty <- string(m.Payload())
		return nil
	})
	require.NoError(t, err)
	rooms := make(chan string, 1)
	_, err = topic.Subscribe(gs.srv, room, func(_ context.Context, s string, _ topic.Peer) { rooms <- s })
	require.NoError(t, err)

	nc.Do(t, cmd("send", "topic", "", "message", "no topic at all"))
	in := gs.recv(t)
	require.Equal(t, "", in.msg.Topic())
	require.Equal(t, `"no topic at all"`, testutil.Recv(t, empty, timeout))
	nc.Do(t, cmd("send", "topic", "chat.room.42", "message", "dotted"))
	require.Equal(t, "chat.room.42", gs.recv(t).msg.Topic())
	require.Equal(t, "dotted", testutil.Recv(t, rooms, timeout))

	require.NoError(t, gs.srv.PublishRaw(ctx, "", []byte(`"empty back"`)))
	ev := nc.Await(t, ni.MessageOn(""))
	require.Equal(t, `"empty back"`, string(ev.Message))
	ev = nc.Await(t, ni.Is("topic"))
	require.Equal(t, "", ev.Topic)
	require.Equal(t, `"empty back"`, string(ev.Message))

	// 'message.chat.room.42' fires for that topic only, not for a prefix.
	require.NoError(t, topic.Publish(ctx, gs.srv, topic.New[string]("chat.room"), "prefix"))
	require.NoError(t, topic.Publish(ctx, gs.srv, room, "dotted back"))
	require.Equal(t, `"prefix"`, string(nc.Await(t, ni.MessageOn("chat.room")).Message))
	require.Equal(t, `"dotted back"`, string(nc.Await(t, ni.MessageOn("chat.room.42")).Message))
	ev = nc.Await(t, ni.Is("topic"))
	require.Equal(t, "chat.room.42", ev.Topic)
	require.Equal(t, `"dotted back"`, string(ev.Message))

	// Typed topics keep their name rules.
	require.Panics(t, func() { topic.New[string]("") })
}

// A message without a topic (Node.js sends one for send(undefined, ...))
// is reported, and the connection goes on.
func TestGoServerReportsNodeMessageWithoutTopic(t *testing.T) {
	t.Parallel()
	gs := startGoServer(t, testutil.SocketPath(t))
	nc, peer := gs.nodeClient(t)
	nc.Do(t, cmd("send", "noTopic", true, "message", 1))
	nc.Do(t, cmd("send", "topic", "after", "message", 2))
	de := h.WaitErr[*topic.DecodeError](t, gs.errs)
	assert.Equal(t, peer.ID, de.ClientID)
	assert.ErrorContains(t, de, "no topic")
	in := gs.recv(t)
	require.Equal(t, "after", in.msg.Topic())
	require.Equal(t, "2", string(in.msg.Payload()))
}

// A publish reaches every Node.js client; SendTo reaches the one named.
func TestGoServerBroadcastAndSendToNodeClients(t *testing.T) {
	t.Parallel()
	gs := startGoServer(t, testutil.SocketPath(t))
	var ncs [3]*ni.Proc
	var ids []string
	for i := range ncs {
		var p topic.Peer
		ncs[i], p = gs.nodeClient(t)
		ids = append(ids, p.ID)
	}
	var clients []string
	for _, p := range gs.srv.Clients() {
		clients = append(clients, p.ID)
	}
	require.ElementsMatch(t, ids, clients)

	ctx := testutil.Context(t, timeout)
	require.NoError(t, topic.Publish(ctx, gs.srv, news, "for everyone"))
	for _, nc := range ncs {
		require.Equal(t, `"for everyone"`, string(nc.Await(t, ni.MessageOn("news")).Message))
	}

	require.NoError(t, server.SendTo(ctx, gs.srv, ids[1], news, "for you"))
	require.NoError(t, topic.Publish(ctx, gs.srv, news, "marker"))
	require.Equal(t, `"for you"`, string(ncs[1].Await(t, ni.MessageOn("news")).Message))
	for _, nc := range ncs {
		require.Equal(t, `"marker"`, string(nc.Await(t, ni.MessageOn("news")).Message), "only the one named got the first")
	}
}

// A Node.js client reconnects to a Go server that was closed and started
// again on the same path.
func TestNodeClientReconnectsAfterGoServerRestart(t *testing.T) {
	t.Parallel()
	path := testutil.SocketPath(t)
	gs := startGoServer(t, path)
	nc, _ := gs.nodeClient(t)
	require.NoError(t, gs.srv.Close())
	nc.Await(t, ni.Is("disconnect"))

	gs = startGoServer(t, path)
	nc.Await(t, ni.Is("reconnect"))
	requireTalking(t, gs, nc, testutil.Recv(t, gs.connects, timeout))
}

// A Node.js client reconnects to a new Go server after the old one was
// killed, leaving its socket file behind with nobody listening on it.
func TestNodeClientReconnectsAfterGoServerCrash(t *testing.T) {
	t.Parallel()
	path := testutil.SocketPath(t)
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), childServerEnv+"="+path)
	srv := ni.StartCmd(t, "go server", child)
	srv.Await(t, ni.Is("listening"))
	nc := ni.Start(t, "client.js", path)
	nc.Await(t, ni.Is("connect"))
	srv.Await(t, ni.Is("connection"))

	srv.Kill(t)
	nc.Await(t, ni.Is("disconnect"))
	_, err := os.Stat(path)
	require.NoError(t, err, "the killed server left its socket file")
	_, err = net.Dial("unix", path)
	require.ErrorIs(t, err, syscall.ECONNREFUSED, "nobody listens on it")

	gs := startGoServer(t, path)
	nc.Await(t, ni.Is("reconnect"))
	requireTalking(t, gs, nc, testutil.Recv(t, gs.connects, timeout))
}

// requireTalking checks that a Node.js client and a Go server exchange
// messages both ways.
func requireTalking(t *testing.T, gs *goServer, nc *ni.Proc, peer topic.Peer) {
	t.Helper()
	nc.Do(t, cmd("send", "topic", "ping", "message", "from node"))
	in := gs.recv(t)
	require.Equal(t, peer.ID, in.from.ID)
	require.Equal(t, `"from node"`, string(in.msg.Payload()))
	require.NoError(t, server.SendTo(testutil.Context(t, timeout), gs.srv, peer.ID, news, "from go"))
	require.Equal(t, `"from go"`, string(nc.Await(t, ni.MessageOn("news")).Message))
}

// A Node.js client that dies while the server writes a large burst to it
// costs the server that client only: the burst ends with
// ErrUnknownClient, and the other clients go on both ways.
func TestGoServerSurvivesNodeClientLeavingMidBurst(t *testing.T) {
	t.Parallel()
	gs := startGoServer(t, testutil.SocketPath(t))
	victim, vp := gs.nodeClient(t)
	a, ap := gs.nodeClient(t)
	b, bp := gs.nodeClient(t)
	victim.Do(t, cmd("quiet", "topic", "flood"))

	ctx := testutil.Context(t, timeout)
	flood := []byte(`"` + strings.Repeat("x", 64<<10) + `"`)
	burst := make(chan error, 1)
	go func() {
		for range 100_000 { // about 6 GiB: never reached, the victim dies first
			if err := gs.srv.SendToRaw(ctx, vp.ID, "flood", flood); err != nil {
				burst <- err
				return
			}
		}
		burst <- nil
	}()
	victim.Await(t, func(e ni.Event) bool { return e.Event == "got" && e.N >= 20 })
	victim.Kill(t)

	require.ErrorIs(t, testutil.Recv(t, burst, timeout), topic.ErrUnknownClient)
	require.Equal(t, vp.ID, testutil.Recv(t, gs.disconnects, timeout).ID)
	var left []string
	for _, p := range gs.srv.Clients() {
		left = append(left, p.ID)
	}
	require.ElementsMatch(t, []string{ap.ID, bp.ID}, left)

	require.NoError(t, topic.Publish(ctx, gs.srv, news, "still here"))
	for _, nc := range []*ni.Proc{a, b} {
		require.Equal(t, `"still here"`, string(nc.Await(t, ni.MessageOn("news")).Message))
	}
	requireTalking(t, gs, a, ap)
	requireTalking(t, gs, b, bp)
	testutil.NoRecv(t, gs.errs)
}

// With WithRelay, what one Node.js client publishes reaches the others
// (the Node.js library's own server has no such thing).
func TestGoServerRelaysBetweenNodeClients(t *testing.T) {
	t.Parallel()
	gs := startGoServer(t, testutil.SocketPath(t), server.WithRelay())
	a, ap := gs.nodeClient(t)
	b, _ := gs.nodeClient(t)
	c, _ := gs.nodeClient(t)

	a.Do(t, cmd("send", "topic", "chat.room.42", "message", map[string]any{"text": "hi all"}))
	require.Equal(t, ap.ID, gs.recv(t).from.ID, "the server's handlers get it too")
	for _, nc := range []*ni.Proc{b, c} {
		ev := nc.Await(t, ni.MessageOn("chat.room.42"))
		require.Equal(t, map[string]any{"text": "hi all"}, decodeAny(t, ev.Message))
	}
	// Never back to its sender: the next message a gets is this one.
	require.NoError(t, topic.Publish(testutil.Context(t, timeout), gs.srv, news, "marker"))
	require.Equal(t, "news", a.Await(t, ni.Is("message")).Topic)
}
