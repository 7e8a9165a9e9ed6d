package server_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/codec"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport"
)

// nodeServer is a server in the Node.js mode, with what it reports.
type nodeServer struct {
	srv         *server.Server
	path        string
	received    chan topic.RawMessage // every message clients publish
	connects    chan topic.Peer
	disconnects chan error
	errs        <-chan error
}

func startNodeServer(t *testing.T, opts ...server.Option) *nodeServer {
	t.Helper()
	onError, errs := h.Errors()
	ns := &nodeServer{
		received:    make(chan topic.RawMessage, 1024),
		connects:    make(chan topic.Peer, 16),
		disconnects: make(chan error, 16),
		errs:        errs,
	}
	ns.srv, ns.path = h.Server(t, append([]server.Option{
		server.WithNodeCompat(),
		server.OnConnect(func(p topic.Peer) { ns.connects <- p }),
		server.OnDisconnect(func(_ topic.Peer, err error) { ns.disconnects <- err }),
		server.OnError(onError),
	}, opts...)...)
	_, err := topic.SubscribeAll(ns.srv, func(_ context.Context, m topic.RawMessage, _ topic.Peer) { ns.received <- m })
	require.NoError(t, err)
	return ns
}

// dialRaw connects a raw socket, as a Node.js client would, and returns it
// once the server has admitted it.
func (ns *nodeServer) dialRaw(t *testing.T) (net.Conn, topic.Peer) {
	t.Helper()
	c, err := net.Dial("unix", ns.path)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c, testutil.Recv(t, ns.connects, h.Timeout)
}

func (ns *nodeServer) recv(t *testing.T) topic.RawMessage {
	t.Helper()
	return testutil.Recv(t, ns.received, h.Timeout)
}

func write(t *testing.T, c net.Conn, s string) {
	t.Helper()
	_, err := io.WriteString(c, s)
	require.NoError(t, err)
}

// readExactly reads len(want) bytes and compares them with want.
func readExactly(t *testing.T, c net.Conn, want string) {
	t.Helper()
	got := make([]byte, len(want))
	_, err := io.ReadFull(c, got)
	require.NoError(t, err)
	require.Equal(t, want, string(got))
}

func TestNodeCompatUsesJSON(t *testing.T) {
	path := testutil.SocketPath(t)
	srv, err := server.New(path, server.WithNodeCompat())
	require.NoError(t, err)
	require.Equal(t, "json", srv.Codec().Name())

	srv, err = server.New(path, server.WithCodec(codec.MsgPack), server.WithNodeCompat())
	require.NoError(t, err, "a later option wins")
	require.Equal(t, "json", srv.Codec().Name())

	_, err = server.New(path, server.WithNodeCompat(), server.WithCodec(codec.MsgPack))
	require.ErrorContains(t, err, `needs a codec named "json", not "msgpack"`)
}

func TestNodeCompatRefusesCalls(t *testing.T) {
	ns := startNodeServer(t)
	_, peer := ns.dialRaw(t)
	ctx := testutil.Context(t, h.Timeout)
	p := topic.NewProcedure[int, int]("math.double")

	_, err := topic.Handle(ns.srv, p, func(context.Context, int, topic.Peer) (int, error) { return 0, nil })
	require.ErrorIs(t, err, topic.ErrUnsupported)
	_, err = ns.srv.HandleRaw("math.double", nil)
	require.ErrorIs(t, err, topic.ErrUnsupported)
	_, err = server.Call(ctx, ns.srv, peer.ID, p, 1)
	require.ErrorIs(t, err, topic.ErrUnsupported)
	_, err = server.Call(ctx, ns.srv, "no-such-client", p, 1)
	require.ErrorIs(t, err, topic.ErrUnsupported, "whatever the client")
	_, err = ns.srv.CallRaw(ctx, "math.double", []byte("1"))
	require.ErrorIs(t, err, topic.ErrUnsupported)
}

// A client is admitted at once, without a handshake, and the server writes
// nothing but the messages it publishes.
func TestNodeCompatWritesOnlyPublish(t *testing.T) {
	ns := startNodeServer(t)
	c, peer := ns.dialRaw(t)
	assert.Regexp(t, uuidV4, peer.ID)
	ctx := testutil.Context(t, h.Timeout)

	require.NoError(t, ns.srv.PublishRaw(ctx, "chat.hello", []byte(` {"text": "hi"} `)))
	require.NoError(t, server.SendTo(ctx, ns.srv, peer.ID, topic.New[string]("x"), "a\x00<b>"))
	require.NoError(t, ns.srv.PublishRaw(ctx, "", nil))
	readExactly(t, c, `{"topic":"chat.hello","message":{"text": "hi"}}`+"\x00\x00"+
		`{"topic":"x","message":"a\u0000\u003cb\u003e"}`+"\x00\x00"+
		`{"topic":""}`+"\x00\x00")

	// A raw payload that is not JSON cannot travel.
	err := ns.srv.PublishRaw(ctx, "x", []byte("not json"))
	require.ErrorAs(t, err, new(*topic.EncodeError))
	err = ns.srv.SendToRaw(ctx, peer.ID, "x", []byte{0x81, 0xa1, 'a', 1})
	require.ErrorAs(t, err, new(*topic.EncodeError))
	// Typed topics keep their name rules; the raw layer takes "" too.
	require.Error(t, ns.srv.PublishRaw(ctx, "has space", []byte("1")))
}

// Frames that are not valid messages are reported as DecodeErrors, and
// the connection goes on with the next frame.
func TestNodeCompatInvalidFramesAreReported(t *testing.T) {
	ns := startNodeServer(t)
	c, peer := ns.dialRaw(t)
	bad := []struct{ name, frame, why string }{
		{"not JSON", `hello`, "not valid JSON"},
		{"empty", ``, "not valid JSON"},
		{"whitespace only", " \n", "not valid JSON"},
		{"truncated", `{"topic":"t"`, "not valid JSON"},
		{"array", `[{"topic":"t"}]`, "not a JSON object"},
		{"string", `"topic"`, "not a JSON object"},
		{"number", `42`, "not a JSON object"},
		{"null", `null`, "not a JSON object"},
		{"no topic", `{"message":1}`, "no topic"},
		{"numeric topic", `{"topic":5,"message":1}`, "not a string"},
		{"null topic", `{"topic":null}`, "not a string"},
		{"invalid UTF-8", "{\"topic\":\"\xff\"}", "UTF-8"},
		{"raw NUL in a string", "{\"topic\":\"a\x00b\"}", "not valid JSON"},
		{"third NUL", "\x00{\"topic\":\"t\"}", "not valid JSON"},
	}
	for i, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			write(t, c, fmt.Sprintf("%s\x00\x00{\"topic\":\"good\",\"message\":%d}\x00\x00", tc.frame, i))
			de := h.WaitErr[*topic.DecodeError](t, ns.errs)
			assert.Equal(t, peer.ID, de.ClientID)
			assert.ErrorContains(t, de, tc.why)
			m := ns.recv(t)
			require.Equal(t, "good", m.Topic())
			require.Equal(t, fmt.Sprint(i), string(m.Payload()))
		})
	}

	// All of them in one write, too.
	var all strings.Builder
	for i, tc := range bad {
		fmt.Fprintf(&all, "%s\x00\x00{\"topic\":\"good\",\"message\":%d}\x00\x00", tc.frame, i)
	}
	write(t, c, all.String())
	for i := range bad {
		h.WaitErr[*topic.DecodeError](t, ns.errs)
		require.Equal(t, fmt.Sprint(i), string(ns.recv(t).Payload()))
	}
	require.Len(t, ns.srv.Clients(), 1, "still connected")
}

// What Node.js may write besides the exact form sockipc writes is
// accepted: whitespace anywhere outside strings (before the delimiter
// too), other keys, any key order, a missing message.
func TestNodeCompatAcceptsLooseJSON(t *testing.T) {
	ns := startNodeServer(t)
	c, _ := ns.dialRaw(t)
	for _, tc := range []struct{ frame, topic, payload string }{
		{`{"topic":"t","message":1} ` + "\t\r\n", "t", "1"},
		{" \n{ \"message\" : [ 1 , 2 ] , \"topic\" : \"t\" }", "t", "[ 1 , 2 ]"},
		{`{"topic":"t","extra":{"a":[1]},"message":"x"}`, "t", `"x"`},
		{`{"topic":"first","topic":"last","message":null}`, "last", "null"},
		{`{"topic":"t"}`, "t", ""},
		{`{"topic":"\u00e9\u0000"}`, "é\x00", ""},
	} {
		write(t, c, tc.frame+"\x00\x00")
		m := ns.recv(t)
		require.Equal(t, tc.topic, m.Topic(), tc.frame)
		require.Equal(t, tc.payload, string(m.Payload()), tc.frame)
	}
	testutil.NoRecv(t, ns.errs)
}

// Two frames arrive whole however the bytes are cut into writes,
// including inside UTF-8 sequences and between the two NULs.
func TestNodeCompatFramesCutAnywhere(t *testing.T) {
	ns := startNodeServer(t)
	c, _ := ns.dialRaw(t)
	data := `{"topic":"é.漢","message":"👩‍👧"}` + "\x00\x00" + `{"topic":"","message":"ß"}` + "\x00\x00"
	for i := range len(data) + 1 {
		write(t, c, data[:i])
		write(t, c, data[i:])
		m := ns.recv(t)
		require.Equal(t, "é.漢", m.Topic(), "cut at %d", i)
		require.Equal(t, `"👩‍👧"`, string(m.Payload()), "cut at %d", i)
		m = ns.recv(t)
		require.Equal(t, "", m.Topic(), "cut at %d", i)
		require.Equal(t, `"ß"`, string(m.Payload()), "cut at %d", i)
	}
	testutil.NoRecv(t, ns.errs)
}

// A frame longer than the maximum message size closes that connection,
// with an error the server reports; the other clients go on.
func TestNodeCompatFrameTooLarge(t *testing.T) {
	const limit = 1000
	ns := startNodeServer(t, server.WithMaxMessageSize(limit))
	big, bigPeer := ns.dialRaw(t)
	other, _ := ns.dialRaw(t)

	atLimit := `{"topic":"t","message":"` + strings.Repeat("a", limit-26) + `"}`
	require.Len(t, atLimit, limit)
	write(t, big, atLimit+"\x00\x00")
	require.Len(t, ns.recv(t).Payload(), limit-24, "a frame of the limit is accepted")

	write(t, big, `{"topic":"t","message":"`+strings.Repeat("a", 2*limit))
	err := testutil.Recv(t, ns.errs, h.Timeout)
	require.ErrorIs(t, err, transport.ErrFrameTooLarge)
	assert.ErrorContains(t, err, bigPeer.ID)
	assert.ErrorContains(t, err, "the read limit is 1000 bytes")
	require.ErrorIs(t, testutil.Recv(t, ns.disconnects, h.Timeout), transport.ErrFrameTooLarge)
	require.NoError(t, big.SetReadDeadline(time.Now().Add(h.Timeout)))
	_, err = io.ReadAll(big)
	if err != nil { // a reset is a close too
		require.ErrorIs(t, err, syscall.ECONNRESET, "the server closed the connection")
	}

	write(t, other, `{"topic":"t","message":"still here"}`+"\x00\x00")
	require.Equal(t, `"still here"`, string(ns.recv(t).Payload()))
	require.NoError(t, ns.srv.PublishRaw(testutil.Context(t, h.Timeout), "t", []byte("2")))
	readExactly(t, other, `{"topic":"t","message":2}`+"\x00\x00")
}

// Node.js clients know no Ping: a client that stays silent is never
// pinged, nor taken for dead, however many keepalive intervals pass.
func TestNodeCompatNeverPings(t *testing.T) {
	const interval = 5 * time.Millisecond
	ns := startNodeServer(t, server.WithKeepalive(interval))
	c, _ := ns.dialRaw(t)
	require.Never(t, func() bool { return len(ns.disconnects) > 0 }, 40*interval, interval)

	require.NoError(t, ns.srv.PublishRaw(testutil.Context(t, h.Timeout), "t", []byte("1")))
	readExactly(t, c, `{"topic":"t","message":1}`+"\x00\x00")
	require.Len(t, ns.srv.Clients(), 1)
}

// Shutdown writes what is queued for a Node.js client, then closes: no
// GoAway, which Node.js would not understand.
func TestNodeCompatShutdownFlushesWithoutGoAway(t *testing.T) {
	ns := startNodeServer(t)
	c, _ := ns.dialRaw(t)
	ctx := testutil.Context(t, h.Timeout)
	var want strings.Builder
	for i := range 100 {
		require.NoError(t, ns.srv.PublishRaw(ctx, "t", fmt.Appendf(nil, "%d", i)))
		fmt.Fprintf(&want, `{"topic":"t","message":%d}`+"\x00\x00", i)
	}
	require.NoError(t, ns.srv.Shutdown(ctx))
	require.NoError(t, c.SetReadDeadline(time.Now().Add(h.Timeout)))
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	require.Equal(t, want.String(), string(got))
}
