package nats_test

import (
	"io"
	"net"
	"testing"
	"time"

	natsgo "github.com/nats-io/nats.go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sknats "github.com/sockipc/sockipc/transport/nats"
)

// A transport on the application's own NATS connection leaves it open
// when it closes.
func TestWithConn(t *testing.T) {
	nc, err := natsgo.Connect(sknats.SharedURL())
	require.NoError(t, err)
	defer nc.Close()
	tr, err := sknats.New(sknats.WithConn(nc))
	require.NoError(t, err)
	require.Same(t, nc, tr.Conn())
	srv, cl := pair(t, tr, newTransport(t))
	write(t, cl, []byte("over the application's connection"))
	require.Equal(t, "over the application's connection", string(read(t, srv)))

	require.NoError(t, tr.Close())
	require.True(t, nc.IsConnected(), "the application's connection stays open")
	require.ErrorIs(t, readErr(t, cl), io.EOF, "the transport's connections were closed")
	_, err = tr.Listen(name())
	require.ErrorIs(t, err, net.ErrClosed)
}

// Closing a transport closes its listeners and connections; their peers
// read EOF.
func TestCloseEndsEverything(t *testing.T) {
	tr := newTransport(t)
	ln, err := tr.Listen(name())
	require.NoError(t, err)
	srv, cl := connect(t, ln, newTransport(t))
	require.NoError(t, tr.Close())
	require.NoError(t, tr.Close())
	_, err = ln.Accept()
	require.ErrorIs(t, err, net.ErrClosed)
	_, err = srv.ReadMessage()
	require.ErrorIs(t, err, net.ErrClosed)
	require.ErrorIs(t, readErr(t, cl), io.EOF)
	_, err = tr.Dial(ctx(t), ln.Addr())
	require.ErrorIs(t, err, net.ErrClosed)
}

// When the NATS connection closes for good, connections end with
// ErrDisconnected, whether a write or the transport notices first.
func TestNATSConnectionClosed(t *testing.T) {
	nc, err := natsgo.Connect(sknats.SharedURL())
	require.NoError(t, err)
	tr, err := sknats.New(sknats.WithConn(nc))
	require.NoError(t, err)
	t.Cleanup(func() { tr.Close() })
	ln, err := tr.Listen(name())
	require.NoError(t, err)
	srv, _ := connect(t, ln, newTransport(t))
	nc.Close()
	require.Eventually(t, func() bool {
		err := srv.WriteMessage([]byte("x"))
		return err != nil && assert.ErrorIs(t, err, sknats.ErrDisconnected)
	}, timeout, time.Millisecond)
	require.ErrorIs(t, readErr(t, srv), sknats.ErrDisconnected)
	_, err = ln.Accept()
	require.ErrorIs(t, err, sknats.ErrDisconnected)
}
