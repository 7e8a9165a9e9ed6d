package nats_test

import (
	"net"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport"
	sknats "github.com/sockipc/sockipc/transport/nats"
	"github.com/sockipc/sockipc/transport/nats/internal/embedded"
)

func TestDialWithoutListener(t *testing.T) {
	start := time.Now()
	_, err := newTransport(t).Dial(ctx(t), name())
	require.ErrorIs(t, err, sknats.ErrNoListener)
	require.Less(t, time.Since(start), time.Second, "no responders is known at once")
}

// A second listener of a name is refused, on the same NATS connection or
// another, and the first is undisturbed; once the first closes, the name
// is free again.
func TestSecondListenerIsAddrInUse(t *testing.T) {
	first, other := newTransport(t), newTransport(t)
	n := name()
	ln, err := first.Listen(n)
	require.NoError(t, err)
	for _, tr := range []*sknats.Transport{first, other} {
		_, err := tr.Listen(n)
		require.ErrorIs(t, err, transport.ErrAddrInUse)
	}
	srv, cl := connect(t, ln, other)
	write(t, cl, []byte("still there"))
	require.Equal(t, "still there", string(read(t, srv)))

	require.NoError(t, ln.Close())
	again, err := other.Listen(n)
	require.NoError(t, err)
	require.NoError(t, again.Close())
}

// Listeners of one name started at the same instant on separate NATS
// connections: exactly one wins.
func TestConcurrentListenersOneWins(t *testing.T) {
	const rivals = 4
	n := name()
	var wg sync.WaitGroup
	results := make(chan error, rivals)
	for range rivals {
		tr := newTransport(t)
		wg.Go(func() {
			ln, err := tr.Listen(n)
			if err == nil {
				t.Cleanup(func() { ln.Close() })
			}
			results <- err
		})
	}
	wg.Wait()
	close(results)
	won := 0
	for err := range results {
		if err == nil {
			won++
			continue
		}
		require.ErrorIs(t, err, transport.ErrAddrInUse)
	}
	require.Equal(t, 1, won)
}

func TestAcceptAfterClose(t *testing.T) {
	ln, err := newTransport(t).Listen(name())
	require.NoError(t, err)
	accepted := make(chan error, 1)
	go func() {
		_, err := ln.Accept()
		accepted <- err
	}()
	require.NoError(t, ln.Close())
	require.NoError(t, ln.Close())
	select {
	case err := <-accepted:
		require.ErrorIs(t, err, net.ErrClosed)
	case <-ctx(t).Done():
		t.Fatal("Accept not unblocked")
	}
	_, err = newTransport(t).Dial(ctx(t), ln.Addr())
	require.ErrorIs(t, err, sknats.ErrNoListener)
}

// Connections a listener accepted outlive it.
func TestAcceptedConnectionsOutliveListener(t *testing.T) {
	tr := newTransport(t)
	ln, err := tr.Listen(name())
	require.NoError(t, err)
	srv, cl := connect(t, ln, newTransport(t))
	require.NoError(t, ln.Close())
	write(t, cl, []byte("ping"))
	require.Equal(t, "ping", string(read(t, srv)))
	write(t, srv, []byte("pong"))
	require.Equal(t, "pong", string(read(t, cl)))
}

// Dials beyond the backlog are refused; the dialer reads why.
func TestBacklogFull(t *testing.T) {
	ln, err := newTransport(t, sknats.WithBacklog(1)).Listen(name())
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	dialer := newTransport(t)
	first, err := dialer.Dial(ctx(t), ln.Addr())
	require.NoError(t, err)
	t.Cleanup(func() { first.Close() })
	second, err := dialer.Dial(ctx(t), ln.Addr())
	require.NoError(t, err)
	t.Cleanup(func() { second.Close() })
	err = readErr(t, second)
	require.ErrorContains(t, err, "backlog")
	c, err := ln.Accept()
	require.NoError(t, err)
	c.Close()
}

func TestInvalidNames(t *testing.T) {
	tr := newTransport(t)
	for _, bad := range []string{"", "a b", "a.*", "a.>", ".a", "a.", "a..b", "tab\there"} {
		_, err := tr.Listen(bad)
		assert.ErrorIs(t, err, sknats.ErrInvalidName, "%q", bad)
		_, err = tr.Dial(ctx(t), bad)
		assert.ErrorIs(t, err, sknats.ErrInvalidName, "%q", bad)
	}
	_, err := sknats.New(sknats.WithURL(sknats.SharedURL()), sknats.WithPrefix("a b"))
	require.ErrorIs(t, err, sknats.ErrInvalidName)
	// Socket-like paths are names too.
	ln, err := tr.Listen("/run/app/chat.sock")
	require.NoError(t, err)
	require.NoError(t, ln.Close())
}

// Two prefixes are two separate worlds: the same name in each.
func TestPrefixesSeparate(t *testing.T) {
	n := name()
	a, err := newTransport(t, sknats.WithPrefix("app1")).Listen(n)
	require.NoError(t, err)
	defer a.Close()
	b, err := newTransport(t, sknats.WithPrefix("app2")).Listen(n)
	require.NoError(t, err)
	defer b.Close()
	_, err = newTransport(t, sknats.WithPrefix("app3")).Dial(ctx(t), n)
	require.ErrorIs(t, err, sknats.ErrNoListener)
}

// A frame larger than the NATS server's max_payload fails to write with
// ErrFrameTooLarge, and MaxMessageSize says what fits.
func TestMaxPayload(t *testing.T) {
	const maxPayload = 64 << 10
	ns, err := embedded.Start(func(o *server.Options) { o.MaxPayload = maxPayload })
	require.NoError(t, err)
	t.Cleanup(func() { embedded.Shutdown(ns) })
	tr := newTransportAt(t, ns.ClientURL())
	srv, cl := pair(t, tr, newTransportAt(t, ns.ClientURL()))
	fits := tr.MaxMessageSize()
	require.Less(t, fits, maxPayload)
	require.Greater(t, fits, maxPayload-64)

	srv.SetReadLimit(maxPayload)
	write(t, cl, make([]byte, fits))
	require.Len(t, read(t, srv), fits)
	err = cl.WriteMessage(make([]byte, fits+1))
	require.ErrorIs(t, err, transport.ErrFrameTooLarge)
	require.ErrorContains(t, err, "max_payload")
}

func TestOptionsChecked(t *testing.T) {
	nc := newTransport(t).Conn()
	for _, opts := range [][]sknats.Option{
		{sknats.WithWindow(0, 1)},
		{sknats.WithBacklog(0)},
		{sknats.WithDialTimeout(0)},
		{sknats.WithConn(nc)},
	} {
		_, err := sknats.New(append(opts, sknats.WithURL(sknats.SharedURL()))...)
		require.Error(t, err)
	}
	_, err := sknats.New(sknats.WithURL("nats://127.0.0.1:1"))
	require.Error(t, err, "nothing listens on port 1")
}

// connect dials ln from dialer and accepts.
func connect(t testing.TB, ln transport.Listener, dialer *sknats.Transport) (srv, cl transport.Conn) {
	t.Helper()
	cl, err := dialer.Dial(ctx(t), ln.Addr())
	require.NoError(t, err)
	t.Cleanup(func() { cl.Close() })
	srv, err = ln.Accept()
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	return srv, cl
}
