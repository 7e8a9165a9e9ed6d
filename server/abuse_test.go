package server_test

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/codec"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport"
)

// frame is a length-prefixed frame around body.
func frame(body []byte) []byte {
	return binary.BigEndian.AppendUint32(nil, uint32(len(body))) // header
}

func withBody(body []byte) []byte { return append(frame(body), body...) }

func envelope(t *testing.T, e *wire.Envelope) []byte {
	t.Helper()
	b, err := wire.Native.Append(nil, e)
	require.NoError(t, err)
	return withBody(b)
}

func validHello(t *testing.T) []byte {
	return envelope(t, hello(wire.Hello{Version: wire.Version, Codec: "msgpack", MaxSize: 1 << 20}))
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// Every kind of bad input closes only the connection that sent it: after
// each, a normal client still publishes and receives, and the heap did not
// grow by more than a few MiB.
func TestBadInputClosesOnlyThatConnection(t *testing.T) {
	random := make([]byte, 4096)
	_, _ = rand.Read(random)
	cases := []struct {
		name  string
		bytes func(t *testing.T) []byte
	}{
		{"random bytes", func(*testing.T) []byte { return random }},
		{"header announcing 4 GiB", func(*testing.T) []byte { return []byte{0xff, 0xff, 0xff, 0xff, 1, 2, 3} }},
		{"truncated frame then close", func(*testing.T) []byte { return append(frame(make([]byte, 100)), 1, 2, 3) }},
		{"zero-length frames", func(*testing.T) []byte { return make([]byte, 16) }},
		{"garbage msgpack as first frame", func(*testing.T) []byte { return withBody([]byte{0xc1, 0xc1, 0xc1}) }},
		{"garbage msgpack after the handshake", func(t *testing.T) []byte {
			return append(validHello(t), withBody([]byte{0x97, 0xc1})...)
		}},
		{"zero-length frame after the handshake", func(t *testing.T) []byte { return append(validHello(t), 0, 0, 0, 0) }},
		{"unknown message kind", func(t *testing.T) []byte {
			return append(validHello(t), envelope(t, &wire.Envelope{Kind: 99, Topic: "x"})...)
		}},
		{"handshake with a wrong version", func(t *testing.T) []byte {
			return envelope(t, hello(wire.Hello{Version: 7, Codec: "msgpack"}))
		}},
		{"a second handshake", func(t *testing.T) []byte { return append(validHello(t), validHello(t)...) }},
		{"frame over the limit after the handshake", func(t *testing.T) []byte {
			return append(validHello(t), frame(make([]byte, 2<<20))...)
		}},
	}

	onError, errs := h.Errors()
	srv, path := h.Server(t, server.WithMaxMessageSize(1<<20), server.OnError(onError))
	inbox := h.Inbox(t, srv, h.A)
	probe := func(n int) {
		t.Helper()
		var in <-chan h.Received[h.Msg]
		cl := h.Client(t, path, func(c *client.Client) { in = h.Inbox(t, c, h.B) })
		ctx := testutil.Context(t, h.Timeout)
		require.NoError(t, topic.Publish(ctx, cl, h.A, h.Msg{N: n}))
		require.Equal(t, n, testutil.Recv(t, inbox, h.Timeout).Msg.N)
		require.NoError(t, server.SendTo(ctx, srv, cl.ID(), h.B, h.Msg{N: n}))
		require.Equal(t, n, testutil.Recv(t, in, h.Timeout).Msg.N)
		require.NoError(t, cl.Close())
	}

	before := heapInUse()
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("unix", path)
			require.NoError(t, err)
			defer conn.Close()
			_, _ = conn.Write(tc.bytes(t))
			if tc.name == "truncated frame then close" {
				conn.Close()
			}
			// The server ends the connection (or sees it end).
			_ = conn.SetReadDeadline(time.Now().Add(h.Timeout))
			buf := make([]byte, 64<<10)
			for {
				if _, err := conn.Read(buf); err != nil {
					if ne, ok := err.(net.Error); ok && ne.Timeout() {
						t.Fatal("the server did not close the connection")
					}
					break
				}
			}
			probe(i)
		})
	}
	// The oversized frames were reported clearly.
	tooLarge := 0
	for len(errs) > 0 {
		if errors.Is(<-errs, transport.ErrFrameTooLarge) {
			tooLarge++
		}
	}
	require.GreaterOrEqual(t, tooLarge, 2, "the oversized frames are reported as too large")

	t.Run("200 stalled connections", func(t *testing.T) {
		conns := make([]net.Conn, 200)
		for i := range conns {
			c, err := net.Dial("unix", path)
			require.NoError(t, err)
			defer c.Close()
			_, err = c.Write([]byte{0, 0})
			require.NoError(t, err)
			conns[i] = c
		}
		probe(1000)
	})
	grown := int64(heapInUse()) - int64(before)
	t.Logf("heap grew by %d KiB", grown>>10)
	require.Less(t, grown, int64(4<<20), "heap growth")
}

// Messages that arrived before a bad frame, in the same read, are
// delivered before the connection is closed for it.
func TestGoodMessagesBeforeABadFrameAreDelivered(t *testing.T) {
	srv, path := h.Server(t)
	inbox := h.Inbox(t, srv, h.A)

	input := validHello(t)
	const n = 50
	for i := range n {
		payload, err := codec.MsgPack.Marshal(h.Msg{N: i})
		require.NoError(t, err)
		input = append(input, envelope(t, &wire.Envelope{Kind: wire.KindPublish, Topic: h.A.Name(), Payload: payload})...)
	}
	input = append(input, withBody([]byte{0x97, 0xc1})...)

	conn, err := net.Dial("unix", path)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write(input)
	require.NoError(t, err)
	for i := range n {
		require.Equal(t, i, testutil.Recv(t, inbox, h.Timeout).Msg.N)
	}
}
