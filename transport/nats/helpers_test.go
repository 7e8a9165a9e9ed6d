package nats_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nuid"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport"
	sknats "github.com/sockipc/sockipc/transport/nats"
)

// timeout bounds every wait.
const timeout = 10 * time.Second

// newTransport returns a transport on the shared NATS server, or on the
// one opts name, closed when the test ends.
func newTransport(t testing.TB, opts ...sknats.Option) *sknats.Transport {
	t.Helper()
	tr, err := sknats.New(append([]sknats.Option{sknats.WithURL(sknats.SharedURL())}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, tr.Close()) })
	return tr
}

// newTransportAt is newTransport on the NATS server at url.
func newTransportAt(t testing.TB, url string, opts ...sknats.Option) *sknats.Transport {
	t.Helper()
	tr, err := sknats.New(append([]sknats.Option{sknats.WithURL(url)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, tr.Close()) })
	return tr
}

// name returns a listener name no other test uses.
func name() string { return "test." + nuid.Next() }

// ctx returns a context that ends with the test, or after timeout.
func ctx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	return ctx
}

// pair connects a client-side conn on dialer to a server-side conn on
// listener, both closed when the test ends.
func pair(t testing.TB, listener, dialer *sknats.Transport) (srv, cl transport.Conn) {
	t.Helper()
	ln, err := listener.Listen(name())
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	accepted := make(chan transport.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			accepted <- c
		}
		close(accepted)
	}()
	cl, err = dialer.Dial(ctx(t), ln.Addr())
	require.NoError(t, err)
	t.Cleanup(func() { cl.Close() })
	select {
	case srv = <-accepted:
	case <-time.After(timeout):
		t.Fatal("no connection accepted")
	}
	require.NotNil(t, srv)
	t.Cleanup(func() { srv.Close() })
	return srv, cl
}

// read reads one message, failing the test after timeout.
func read(t testing.TB, c transport.Conn) []byte {
	t.Helper()
	type result struct {
		p   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		p, err := c.ReadMessage()
		ch <- result{p, err}
	}()
	select {
	case r := <-ch:
		require.NoError(t, r.err)
		return r.p
	case <-time.After(timeout):
		t.Fatal("nothing read")
		return nil
	}
}

// readErr reads until an error, failing the test after timeout.
func readErr(t testing.TB, c transport.Conn) error {
	t.Helper()
	ch := make(chan error, 1)
	go func() {
		for {
			if _, err := c.ReadMessage(); err != nil {
				ch <- err
				return
			}
		}
	}()
	select {
	case err := <-ch:
		return err
	case <-time.After(timeout):
		t.Fatal("no read error")
		return nil
	}
}

// write writes and flushes messages.
func write(t testing.TB, c transport.Conn, msgs ...[]byte) {
	t.Helper()
	for _, p := range msgs {
		require.NoError(t, c.WriteMessage(p))
	}
	require.NoError(t, c.Flush())
}
