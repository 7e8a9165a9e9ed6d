package conformance

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/server"
)

// env starts servers and clients on the transport under test.
type env struct{ Env }

func (e env) serverOptions(t testing.TB, opts []server.Option) []server.Option {
	if e.ServerOptions == nil {
		return opts
	}
	return append(e.ServerOptions(t), opts...)
}

func (e env) clientOptions(t testing.TB, opts []client.Option) []client.Option {
	if e.ClientOptions == nil {
		return opts
	}
	return append(e.ClientOptions(t), opts...)
}

// server starts a server at a fresh address, closed when the test ends.
func (e env) server(t testing.TB, opts ...server.Option) (*server.Server, string) {
	t.Helper()
	addr := e.Addr(t)
	return h.ServerAt(t, addr, e.serverOptions(t, opts)...), addr
}

// client connects a client to addr once setup has subscribed; it is
// closed when the test ends.
func (e env) client(t testing.TB, addr string, setup func(*client.Client), opts ...client.Option) *client.Client {
	t.Helper()
	return h.Client(t, addr, setup, e.clientOptions(t, opts)...)
}

// startServer starts a server at addr that the test stops itself; it is
// closed when the test ends, if still open. served returns Serve's error.
func (e env) startServer(t testing.TB, addr string, setup func(*server.Server), opts ...server.Option) (srv *server.Server, served <-chan error) {
	t.Helper()
	srv, err := server.New(addr, e.serverOptions(t, opts)...)
	require.NoError(t, err)
	if setup != nil {
		setup(srv)
	}
	require.NoError(t, srv.Listen())
	ch := make(chan error, 1)
	go func() { ch <- srv.Serve(context.Background()) }()
	t.Cleanup(func() { srv.Close() })
	return srv, ch
}
