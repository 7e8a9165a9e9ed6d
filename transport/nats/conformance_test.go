package nats_test

import (
	"testing"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/internal/conformance"
	"github.com/sockipc/sockipc/server"
)

// TestConformance runs sockipc's core behaviour over NATS: the server and
// every client each have their own NATS connection to the embedded server.
func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Env{
		Addr: func(testing.TB) string { return name() },
		ServerOptions: func(t testing.TB) []server.Option {
			return []server.Option{server.WithTransport(newTransport(t))}
		},
		ClientOptions: func(t testing.TB) []client.Option {
			return []client.Option{client.WithTransport(newTransport(t))}
		},
	})
}
