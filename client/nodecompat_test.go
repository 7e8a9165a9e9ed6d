package client_test

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/codec"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport"
)

// rawNodeServer is a listener that plays a Node.js server by hand.
type rawNodeServer struct {
	ln    *net.UnixListener
	conns chan net.Conn
}

func listenRawNode(t *testing.T) (*rawNodeServer, string) {
	t.Helper()
	path := testutil.SocketPath(t)
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	require.NoError(t, err)
	rs := &rawNodeServer{ln: ln, conns: make(chan net.Conn, 4)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			rs.conns <- c
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		close(rs.conns)
		for c := range rs.conns {
			c.Close()
		}
	})
	return rs, path
}

// accept returns the next connection a client made.
func (rs *rawNodeServer) accept(t *testing.T) net.Conn {
	t.Helper()
	c := testutil.Recv(t, rs.conns, h.Timeout)
	t.Cleanup(func() { c.Close() })
	return c
}

func readExactly(t *testing.T, c net.Conn, want string) {
	t.Helper()
	got := make([]byte, len(want))
	_, err := io.ReadFull(c, got)
	require.NoError(t, err)
	require.Equal(t, want, string(got))
}

func writeRaw(t *testing.T, c net.Conn, s string) {
	t.Helper()
	_, err := io.WriteString(c, s)
	require.NoError(t, err)
}

func TestNodeCompatClientUsesJSON(t *testing.T) {
	path := testutil.SocketPath(t)
	cl, err := client.New(path, client.WithNodeCompat())
	require.NoError(t, err)
	require.Equal(t, "json", cl.Codec().Name())
	require.NoError(t, cl.Close())

	cl, err = client.New(path, client.WithCodec(codec.MsgPack), client.WithNodeCompat())
	require.NoError(t, err, "a later option wins")
	require.Equal(t, "json", cl.Codec().Name())
	require.NoError(t, cl.Close())

	_, err = client.New(path, client.WithNodeCompat(), client.WithCodec(codec.MsgPack))
	require.ErrorContains(t, err, `needs a codec named "json", not "msgpack"`)
}

// The client connects without a handshake, announces no subscriptions,
// and writes nothing but the messages it publishes.
func TestNodeCompatClientWritesOnlyPublish(t *testing.T) {
	rs, path := listenRawNode(t)
	cl := newClient(t, path, client.WithNodeCompat(), client.WithName("ignored"))
	inbox := h.Inbox(t, cl, topic.New[string]("before"))
	require.NoError(t, cl.Connect(testutil.Context(t, h.Timeout)))
	c := rs.accept(t)
	require.Empty(t, cl.ID())
	after := h.Inbox(t, cl, topic.New[string]("after"))
	_, err := topic.SubscribeAll(cl, func(context.Context, topic.RawMessage, topic.Peer) {})
	require.NoError(t, err)

	ctx := testutil.Context(t, h.Timeout)
	require.NoError(t, topic.Publish(ctx, cl, topic.New[string]("chat.hello"), "hi\x00<>"))
	require.NoError(t, cl.PublishRaw(ctx, "", nil))
	readExactly(t, c, `{"topic":"chat.hello","message":"hi\u0000\u003c\u003e"}`+"\x00\x00"+`{"topic":""}`+"\x00\x00")

	// Subscriptions are local: the server sends everything.
	writeRaw(t, c, `{"topic":"after","message":"a"}`+"\x00\x00"+`{"topic":"before","message":"b"}`+"\x00\x00")
	assert.Equal(t, "a", testutil.Recv(t, after, h.Timeout).Msg)
	got := testutil.Recv(t, inbox, h.Timeout)
	assert.Equal(t, "b", got.Msg)
	assert.Equal(t, topic.ServerID, got.From.ID)

	// A raw payload that is not JSON cannot travel.
	err = cl.PublishRaw(ctx, "x", []byte{0x81, 0xa1, 'a', 1})
	require.ErrorAs(t, err, new(*topic.EncodeError))
}

func TestNodeCompatClientRefusesCalls(t *testing.T) {
	rs, path := listenRawNode(t)
	cl := newClient(t, path, client.WithNodeCompat())
	p := topic.NewProcedure[int, int]("math.double")
	check := func() {
		_, err := topic.Call(testutil.Context(t, h.Timeout), cl, p, 1)
		require.ErrorIs(t, err, topic.ErrUnsupported)
		_, err = topic.Handle(cl, p, func(context.Context, int, topic.Peer) (int, error) { return 0, nil })
		require.ErrorIs(t, err, topic.ErrUnsupported)
	}
	check()
	require.NoError(t, cl.Connect(testutil.Context(t, h.Timeout)))
	rs.accept(t)
	check()
}

// A message that does not decode is reported, and the next one arrives.
func TestNodeCompatClientReportsInvalidFrames(t *testing.T) {
	rs, path := listenRawNode(t)
	onError, errs := h.Errors()
	cl := newClient(t, path, client.WithNodeCompat(), client.OnError(onError))
	inbox := h.Inbox(t, cl, topic.New[int]("t"))
	require.NoError(t, cl.Connect(testutil.Context(t, h.Timeout)))
	c := rs.accept(t)

	writeRaw(t, c, "not json\x00\x00\x00\x00[1]\x00\x00{\"message\":1}\x00\x00{\"topic\":\"t\",\"message\":7} \n\x00\x00")
	for _, why := range []string{"not valid JSON", "not valid JSON", "not a JSON object", "no topic"} {
		de := h.WaitErr[*topic.DecodeError](t, errs)
		assert.Equal(t, topic.ServerID, de.ClientID)
		assert.ErrorContains(t, de, why)
	}
	assert.Equal(t, 7, testutil.Recv(t, inbox, h.Timeout).Msg)
	assert.True(t, cl.Connected())
}

// A message longer than the client accepts ends the connection; the
// client reconnects.
func TestNodeCompatClientFrameTooLarge(t *testing.T) {
	rs, path := listenRawNode(t)
	ev := make(events, 100)
	disconnected := make(chan error, 1)
	cl := newClient(t, path, append(ev.options(), client.WithNodeCompat(), client.WithMaxMessageSize(100),
		client.OnDisconnect(func(err error) { disconnected <- err }))...)
	require.NoError(t, cl.Connect(testutil.Context(t, h.Timeout)))
	c := rs.accept(t)
	require.Equal(t, "connect", ev.next(t))

	writeRaw(t, c, `{"topic":"t","message":"`+strings.Repeat("x", 200)+`"}`+"\x00\x00")
	require.ErrorIs(t, testutil.Recv(t, disconnected, h.Timeout), transport.ErrFrameTooLarge)
	rs.accept(t)
	require.Equal(t, "connect", ev.next(t, "connect-error"))
	require.Equal(t, "reconnect", ev.next(t))
}

// A Go client and a Go server both in the Node.js mode talk like Node.js
// peers: no ids for the client, broadcast to every client, SendTo by id.
func TestNodeCompatGoToGo(t *testing.T) {
	ids := make(chan topic.Peer, 2)
	srv, path := h.Server(t, server.WithNodeCompat(), server.OnConnect(func(p topic.Peer) { ids <- p }))
	fromClients := h.Inbox(t, srv, h.A)
	var in1, in2 <-chan h.Received[h.Msg]
	c1 := h.Client(t, path, func(c *client.Client) { in1 = h.Inbox(t, c, h.A) }, client.WithNodeCompat())
	id1 := testutil.Recv(t, ids, h.Timeout).ID
	h.Client(t, path, func(c *client.Client) { in2 = h.Inbox(t, c, h.B) }, client.WithNodeCompat())
	// Without a handshake, Connect returns before the server has admitted
	// the client: wait until it has.
	testutil.Recv(t, ids, h.Timeout)
	require.Empty(t, c1.ID())

	ctx := testutil.Context(t, h.Timeout)
	require.NoError(t, topic.Publish(ctx, c1, h.A, h.Msg{N: 1, Text: "up"}))
	got := testutil.Recv(t, fromClients, h.Timeout)
	assert.Equal(t, h.Msg{N: 1, Text: "up"}, got.Msg)
	assert.Equal(t, id1, got.From.ID)

	require.NoError(t, server.SendTo(ctx, srv, id1, h.A, h.Msg{N: 2}))
	require.NoError(t, topic.Publish(ctx, srv, h.B, h.Msg{N: 3}))
	assert.Equal(t, 2, testutil.Recv(t, in1, h.Timeout).Msg.N)
	assert.Equal(t, 3, testutil.Recv(t, in2, h.Timeout).Msg.N)
}

// Node.js servers know no Ping: a silent server is never pinged, nor
// taken for dead, however many keepalive intervals pass.
func TestNodeCompatClientNeverPings(t *testing.T) {
	const interval = 5 * time.Millisecond
	rs, path := listenRawNode(t)
	ev := make(events, 100)
	cl := newClient(t, path, append(ev.options(), client.WithNodeCompat(), client.WithKeepalive(interval))...)
	require.NoError(t, cl.Connect(testutil.Context(t, h.Timeout)))
	c := rs.accept(t)
	require.Equal(t, "connect", ev.next(t))
	require.Never(t, func() bool { return len(ev) > 0 }, 40*interval, interval)

	require.NoError(t, cl.PublishRaw(testutil.Context(t, h.Timeout), "t", []byte("1")))
	readExactly(t, c, `{"topic":"t","message":1}`+"\x00\x00")
	require.True(t, cl.Connected())
}
