package server_test

import (
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

func TestPeerCredentials(t *testing.T) {
	connected := make(chan topic.Peer, 1)
	srv, path := h.Server(t, server.OnConnect(func(p topic.Peer) { connected <- p }))
	inbox := h.Inbox(t, srv, h.A)
	cl := h.Client(t, path, nil)
	p := testutil.Recv(t, connected, h.Timeout)
	assert.Equal(t, os.Getpid(), p.PID)
	assert.Equal(t, os.Getuid(), p.UID)
	assert.Equal(t, os.Getgid(), p.GID)

	require.NoError(t, topic.Publish(testutil.Context(t, h.Timeout), cl, h.A, h.Msg{}))
	from := testutil.Recv(t, inbox, h.Timeout).From
	assert.Equal(t, os.Getpid(), from.PID, "handlers see the credentials too")
	assert.Equal(t, os.Getuid(), from.UID)
}

func TestAuthorizeRefusal(t *testing.T) {
	onError, errs := h.Errors()
	_, path := h.Server(t, server.OnError(onError), server.WithAuthorize(func(p topic.Peer) error {
		if p.Name == "mallory" {
			return fmt.Errorf("%s is not welcome", p.Name)
		}
		return nil
	}))
	attempts := make(chan error, 10)
	cl, err := client.New(path, client.WithName("mallory"), client.OnConnectError(func(err error) { attempts <- err }))
	require.NoError(t, err)
	defer cl.Close()
	err = cl.Connect(testutil.Context(t, h.Timeout))
	require.ErrorIs(t, err, topic.ErrUnauthorized)
	assert.Contains(t, err.Error(), "mallory is not welcome", "the server's reason travels")
	assert.Empty(t, attempts, "a refusal is not retried")
	require.ErrorIs(t, testutil.Recv(t, errs, h.Timeout), topic.ErrUnauthorized)

	h.Client(t, path, nil, client.WithName("alice"))
}

func TestAuthorizeHelpers(t *testing.T) {
	me := topic.Peer{PID: os.Getpid(), UID: os.Getuid(), GID: os.Getgid()}
	stranger := topic.Peer{PID: 1, UID: os.Getuid() + 1, GID: os.Getgid() + 1}
	unknown := topic.Peer{} // no credentials
	for _, tc := range []struct {
		name string
		f    func(topic.Peer) error
		ok   []topic.Peer
		no   []topic.Peer
	}{
		{"SameUser", server.SameUser(), []topic.Peer{me}, []topic.Peer{stranger, unknown}},
		{"AllowUIDs", server.AllowUIDs(me.UID, 4242), []topic.Peer{me}, []topic.Peer{stranger, unknown}},
		{"AllowGIDs", server.AllowGIDs(me.GID), []topic.Peer{me}, []topic.Peer{stranger, unknown}},
	} {
		for _, p := range tc.ok {
			assert.NoError(t, tc.f(p), "%s %+v", tc.name, p)
		}
		for _, p := range tc.no {
			assert.Error(t, tc.f(p), "%s %+v", tc.name, p)
		}
	}
	_, path := h.Server(t, server.WithAuthorize(server.SameUser()))
	h.Client(t, path, nil) // the test process is its own user
}

// A client whose automatic reconnect is refused stops reconnecting and
// reports it through OnError and OnClose.
func TestRefusedReconnectStops(t *testing.T) {
	path := testutil.SocketPath(t)
	srv, served := startBare(t, path)
	errs := make(chan error, 10)
	closed := make(chan struct{})
	cl := h.Client(t, path, nil, client.WithReconnect(time.Millisecond, time.Millisecond),
		client.OnError(func(err error) { errs <- err }), client.OnClose(func() { close(closed) }))
	require.NoError(t, srv.Close())
	require.NoError(t, <-served)

	h.ServerAt(t, path, server.WithAuthorize(func(topic.Peer) error { return errors.New("closed for maintenance") }))
	testutil.Recv(t, closed, h.Timeout)
	err := testutil.Recv(t, errs, h.Timeout)
	require.ErrorIs(t, err, topic.ErrUnauthorized)
	require.Contains(t, err.Error(), "closed for maintenance")
	require.ErrorIs(t, topic.Publish(testutil.Context(t, h.Timeout), cl, h.A, h.Msg{}), topic.ErrClosed)
}

func TestAbstractSocketName(t *testing.T) {
	name := fmt.Sprintf("@sockipc-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	srv := h.ServerAt(t, name)
	inbox := h.Inbox(t, srv, h.A)
	cl := h.Client(t, name, nil)
	require.NoError(t, topic.Publish(testutil.Context(t, h.Timeout), cl, h.A, h.Msg{N: 3}))
	require.Equal(t, 3, testutil.Recv(t, inbox, h.Timeout).Msg.N)
	_, err := os.Stat(name)
	require.True(t, os.IsNotExist(err), "no file on disk")
}

func TestStats(t *testing.T) {
	srv, path := h.Server(t)
	inbox := h.Inbox(t, srv, h.A)
	var in <-chan h.Received[h.Msg]
	cl := h.Client(t, path, func(c *client.Client) { in = h.Inbox(t, c, h.B) })
	ctx := testutil.Context(t, h.Timeout)
	for i := range 10 {
		require.NoError(t, topic.Publish(ctx, cl, h.A, h.Msg{N: i}))
		testutil.Recv(t, inbox, h.Timeout)
	}
	for i := range 5 {
		require.NoError(t, topic.Publish(ctx, srv, h.B, h.Msg{N: i}))
		testutil.Recv(t, in, h.Timeout)
	}
	// The writers count a frame once it is written, which may be after
	// the other side read it.
	require.Eventually(t, func() bool {
		return srv.Stats().MsgsOut == cl.Stats().MsgsIn+1 && cl.Stats().MsgsOut == srv.Stats().MsgsIn
	}, h.Timeout, time.Millisecond)
	ss, cs := srv.Stats(), cl.Stats()
	assert.Equal(t, 1, ss.Clients)
	assert.GreaterOrEqual(t, ss.MsgsIn, uint64(10))
	assert.GreaterOrEqual(t, ss.MsgsOut, uint64(5))
	assert.GreaterOrEqual(t, cs.MsgsOut, uint64(10))
	assert.GreaterOrEqual(t, cs.MsgsIn, uint64(5))
	// What one side writes the other reads; the server's Welcome is read
	// by the client's handshake, before its counters start.
	assert.Equal(t, cs.MsgsOut, ss.MsgsIn)
	assert.Equal(t, cs.BytesOut, ss.BytesIn)
	assert.Equal(t, cs.MsgsIn+1, ss.MsgsOut)
	assert.Zero(t, cs.Reconnects)
}
