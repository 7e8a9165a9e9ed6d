package nodeinterop_test

import (
	"context"
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	ni "github.com/sockipc/sockipc/internal/nodeinterop"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport"
)

const timeout = ni.Timeout

// greeting is the plain object the tests send both ways.
type greeting struct {
	Text string   `json:"text"`
	From string   `json:"from"`
	N    int      `json:"n"`
	Tags []string `json:"tags"`
}

var (
	chatHello = topic.New[greeting]("chat.hello")
	values    = topic.New[any]("values")
	room      = topic.New[string]("chat.room.42")
	news      = topic.New[string]("news")
)

// oneMiB is a 1 MiB string of 1- to 4-byte UTF-8 sequences, so that read
// boundaries fall inside sequences.
var oneMiB = func() string {
	s := strings.Repeat("é漢👍x", (1<<20)/10+1)
	return s[:1<<20-1] + "x"
}()

// valueCases are the values sent both ways; each must arrive as it left.
var valueCases = []struct {
	name string
	v    any
}{
	{"object", map[string]any{"text": "hi", "n": 42.5, "ok": true, "list": []any{1, "two", nil}, "nested": map[string]any{"deep": map[string]any{}}}},
	{"null", nil},
	{"accents", "àéîõü ñ Ç ß Ø"},
	{"CJK", "漢字 かな カナ 한국어"},
	{"RTL", "שלום עולם مرحبا بالعالم"},
	{"emoji with ZWJ", "👩‍👩‍👧‍👦 🏳️‍🌈 👍🏽"},
	{"line and paragraph separators", "a\u2028b\u2029c"},
	{"NUL characters", "\x00a\x00\x00b\x00\x00\x00"},
	{"numbers", []any{0, -1.5, 9007199254740991, 1e300, 5e-324}},
	{"empty string", ""},
	{"1 MiB string", oneMiB},
}

// normalize returns v as JSON decodes it into an any: what a peer sees.
func normalize(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return decodeAny(t, b)
}

func decodeAny(t testing.TB, b []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(b, &v), "%.200s", b)
	return v
}

// requireSame compares decoded JSON values, without printing megabytes
// when they differ.
func requireSame(t testing.TB, want, got any) {
	t.Helper()
	if ws, ok := want.(string); ok && len(ws) > 1000 {
		gs, ok := got.(string)
		require.True(t, ok, "got a %T", got)
		require.Equal(t, len(ws), len(gs), "length")
		require.True(t, ws == gs, "the long strings differ")
		return
	}
	require.Equal(t, want, got)
}

// inbound is a message an endpoint received, with its sender.
type inbound struct {
	msg  topic.RawMessage
	from topic.Peer
}

// goServer is a Go server in the Node.js mode, with what it reports.
type goServer struct {
	srv         *server.Server
	path        string
	received    chan inbound // every message clients publish
	connects    chan topic.Peer
	disconnects chan topic.Peer
	errs        <-chan error
}

func startGoServer(t *testing.T, path string, opts ...server.Option) *goServer {
	t.Helper()
	onError, errs := h.Errors()
	gs := &goServer{
		path:        path,
		received:    make(chan inbound, 4096),
		connects:    make(chan topic.Peer, 16),
		disconnects: make(chan topic.Peer, 16),
		errs:        errs,
	}
	gs.srv = h.ServerAt(t, path, append([]server.Option{
		server.WithNodeCompat(),
		server.OnConnect(func(p topic.Peer) { gs.connects <- p }),
		server.OnDisconnect(func(p topic.Peer, _ error) { gs.disconnects <- p }),
		server.OnError(onError),
	}, opts...)...)
	_, err := topic.SubscribeAll(gs.srv, func(_ context.Context, m topic.RawMessage, from topic.Peer) {
		gs.received <- inbound{m, from}
	})
	require.NoError(t, err)
	return gs
}

// nodeClient starts a Node.js client of the server and returns it once
// both sides see the connection, with the id the server gave it. Start
// clients one at a time, so that each connection is theirs.
func (gs *goServer) nodeClient(t *testing.T) (*ni.Proc, topic.Peer) {
	t.Helper()
	nc := ni.Start(t, "client.js", gs.path)
	nc.Await(t, ni.Is("connect"))
	return nc, testutil.Recv(t, gs.connects, timeout)
}

// recv waits for the next message a client published.
func (gs *goServer) recv(t *testing.T) inbound {
	t.Helper()
	return testutil.Recv(t, gs.received, timeout)
}

// goClient is a Go client in the Node.js mode, with what it reports.
type goClient struct {
	cl       *client.Client
	received chan inbound // every message the server sends it
	events   chan string  // connect, reconnect, disconnect
	errs     <-chan error
}

func startGoClient(t *testing.T, path string, opts ...client.Option) *goClient {
	t.Helper()
	onError, errs := h.Errors()
	gc := &goClient{received: make(chan inbound, 4096), events: make(chan string, 1024), errs: errs}
	cl, err := client.New(path, append([]client.Option{
		client.WithNodeCompat(),
		client.WithRetry(5*time.Millisecond, 20*time.Millisecond),
		client.WithReconnect(5*time.Millisecond, 20*time.Millisecond),
		client.OnConnect(func() { gc.events <- "connect" }),
		client.OnReconnect(func() { gc.events <- "reconnect" }),
		client.OnDisconnect(func(error) { gc.events <- "disconnect" }),
		client.OnError(onError),
	}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, cl.Close()) })
	gc.cl = cl
	_, err = topic.SubscribeAll(cl, func(_ context.Context, m topic.RawMessage, from topic.Peer) {
		gc.received <- inbound{m, from}
	})
	require.NoError(t, err)
	require.NoError(t, cl.Connect(testutil.Context(t, timeout)))
	require.Equal(t, "connect", testutil.Recv(t, gc.events, timeout))
	return gc
}

// recv waits for the next message the server sent.
func (gc *goClient) recv(t *testing.T) inbound {
	t.Helper()
	return testutil.Recv(t, gc.received, timeout)
}

// nextEvent waits for the next lifecycle event.
func (gc *goClient) nextEvent(t *testing.T) string {
	t.Helper()
	return testutil.Recv(t, gc.events, timeout)
}

// startNodeServer starts a Node.js server and waits until it listens.
func startNodeServer(t *testing.T, path string) *ni.Proc {
	t.Helper()
	ns := ni.Start(t, "server.js", path)
	ns.Await(t, ni.Is("listening"))
	return ns
}

// goClientOf connects a Go client to a Node.js server and returns it with
// the id the server gave it. Connect clients one at a time.
func goClientOf(t *testing.T, ns *ni.Proc, path string) (*goClient, string) {
	t.Helper()
	gc := startGoClient(t, path)
	return gc, ns.Await(t, ni.Is("connection")).Client
}

// countingConn counts the writes made on a connection.
type countingConn struct {
	net.Conn
	writes atomic.Int32
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// writeBurstInOneWrite sends n messages numbered 0 to n-1 on topic through
// a raw connection in the Node.js framing, and checks that they went in a
// single write.
func writeBurstInOneWrite(t *testing.T, c net.Conn, name string, n int) {
	t.Helper()
	cc := &countingConn{Conn: c}
	conn := transport.NewStreamConn(cc, transport.Delimited([]byte(transport.NodeDelimiter)))
	t.Cleanup(func() { conn.Close() })
	var b []byte
	for i := range n {
		var err error
		b, err = wire.Node.Append(b[:0], &wire.Envelope{Kind: wire.KindPublish, Topic: name, Payload: strconv.AppendInt(nil, int64(i), 10)})
		require.NoError(t, err)
		require.NoError(t, conn.WriteMessage(b))
	}
	require.NoError(t, conn.Flush())
	require.EqualValues(t, 1, cc.writes.Load(), "the burst went in one write")
}

// requireCounting checks that events carry the numbers 0 to n-1 in order.
func requireCounting(t *testing.T, evs []ni.Event) {
	t.Helper()
	for i, ev := range evs {
		require.Equal(t, strconv.Itoa(i), string(ev.Message), "message %d", i)
	}
}

// cmd builds a script command.
func cmd(name string, kv ...any) map[string]any {
	c := map[string]any{"cmd": name}
	for i := 0; i+1 < len(kv); i += 2 {
		c[kv[i].(string)] = kv[i+1]
	}
	return c
}
