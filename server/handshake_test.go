package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport"
	"github.com/sockipc/sockipc/transport/unix"
)

// dial opens a raw connection to a server, below the client package.
func dial(t *testing.T, path string) transport.Conn {
	t.Helper()
	conn, err := unix.New().Dial(testutil.Context(t, h.Timeout), path)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return conn
}

func send(t *testing.T, conn transport.Conn, e *wire.Envelope) {
	t.Helper()
	b, err := wire.Native.Append(nil, e)
	require.NoError(t, err)
	require.NoError(t, conn.WriteMessage(b))
	require.NoError(t, conn.Flush())
}

func recv(t *testing.T, conn transport.Conn) wire.Envelope {
	t.Helper()
	b, err := conn.ReadMessage()
	require.NoError(t, err)
	var e wire.Envelope
	require.NoError(t, wire.Native.NewDecoder().Decode(b, &e))
	return e
}

func hello(h wire.Hello) *wire.Envelope {
	return &wire.Envelope{Kind: wire.KindHello, Payload: wire.AppendHello(nil, &h)}
}

func TestVersionMismatchIsRejectedClearly(t *testing.T) {
	onError, errs := h.Errors()
	_, path := h.Server(t, server.OnError(onError))
	conn := dial(t, path)
	send(t, conn, hello(wire.Hello{Version: 99, Codec: "msgpack", MaxSize: 1 << 20}))

	e := recv(t, conn)
	require.Equal(t, wire.KindReject, e.Kind)
	st, err := wire.DecodeStatus(e.Payload)
	require.NoError(t, err)
	assert.Equal(t, wire.CodeVersion, st.Code)
	assert.Contains(t, st.Message, "99")
	_, err = conn.ReadMessage()
	require.Error(t, err, "the server closes after a reject")

	serverErr := testutil.Recv(t, errs, h.Timeout)
	require.ErrorIs(t, serverErr, topic.ErrIncompatible)
	assert.Contains(t, serverErr.Error(), "version 99")
}

func TestFirstFrameMustBeHello(t *testing.T) {
	_, path := h.Server(t)
	conn := dial(t, path)
	send(t, conn, &wire.Envelope{Kind: wire.KindPublish, Topic: "x", Payload: []byte{0xc0}})
	e := recv(t, conn)
	require.Equal(t, wire.KindReject, e.Kind)
	st, err := wire.DecodeStatus(e.Payload)
	require.NoError(t, err)
	assert.Equal(t, wire.CodeProtocol, st.Code)
}

func TestHandshakeTimeoutClosesSilentConnection(t *testing.T) {
	onError, errs := h.Errors()
	_, path := h.Server(t, server.WithHandshakeTimeout(50*time.Millisecond), server.OnError(onError))
	conn := dial(t, path)
	_, err := conn.ReadMessage() // the server closes without a word
	require.Error(t, err)
	require.Contains(t, testutil.Recv(t, errs, h.Timeout).Error(), "no hello within")
}

// A client that the server rejects for its version gets ErrIncompatible
// from Connect at once, and does not retry.
func TestClientSeesVersionRejection(t *testing.T) {
	path := testutil.SocketPath(t)
	ln, err := unix.New().Listen(path)
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		if _, err := conn.ReadMessage(); err != nil {
			return
		}
		st := wire.AppendStatus(nil, &wire.Status{Code: wire.CodeVersion, Message: "this server speaks version 2"})
		b, _ := wire.Native.Append(nil, &wire.Envelope{Kind: wire.KindReject, Payload: st})
		_ = conn.WriteMessage(b)
		_ = conn.Flush()
	}()

	attempts := make(chan error, 10)
	cl, err := client.New(path, client.OnConnectError(func(err error) { attempts <- err }))
	require.NoError(t, err)
	defer cl.Close()
	err = cl.Connect(testutil.Context(t, h.Timeout))
	require.ErrorIs(t, err, topic.ErrIncompatible)
	require.Contains(t, err.Error(), "version 2")
	require.Empty(t, attempts)
}

// A handshake that breaks (the peer hangs up, or answers garbage) is a
// failed attempt like a refused connection, and is retried.
func TestBrokenHandshakeIsRetried(t *testing.T) {
	path := testutil.SocketPath(t)
	ln, err := unix.New().Listen(path)
	require.NoError(t, err)
	broken := make(chan struct{})
	go func() {
		defer close(broken)
		for i := range 2 {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			if _, err := conn.ReadMessage(); err == nil && i == 1 {
				_ = conn.WriteMessage([]byte("garbage"))
				_ = conn.Flush()
			}
			conn.Close()
		}
	}()

	attempts := make(chan error, 10)
	cl, err := client.New(path, client.WithRetry(time.Millisecond, time.Millisecond),
		client.OnConnectError(func(err error) { attempts <- err }))
	require.NoError(t, err)
	defer cl.Close()
	connected := make(chan error, 1)
	go func() { connected <- cl.Connect(context.Background()) }()

	testutil.Recv(t, attempts, h.Timeout)
	testutil.Recv(t, attempts, h.Timeout)
	testutil.Recv(t, broken, h.Timeout)
	require.NoError(t, ln.Close())
	h.ServerAt(t, path)
	require.NoError(t, testutil.Recv(t, connected, h.Timeout))
}
