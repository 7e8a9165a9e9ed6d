// Package conformance holds the core behaviour every sockipc transport must
// carry, written once as test bodies: publish and subscribe, send-to-one,
// broadcast, relay, calls, graceful shutdown with a reconnecting client,
// and keepalive. A transport's tests run them with [Run], giving an [Env]
// that says how to reach the transport; the unix socket transport runs
// them in this package's own tests, and transport/nats over NATS.
package conformance

import (
	"testing"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/server"
)

// Env is what the suite needs to know of a transport.
type Env struct {
	// Addr returns an address that no other server of the run uses: a
	// socket path, a NATS name. Required.
	Addr func(t testing.TB) string
	// ServerOptions returns the options that put a server on the
	// transport, such as server.WithTransport. It is called once per
	// server; nil means none (the unix socket default).
	ServerOptions func(t testing.TB) []server.Option
	// ClientOptions returns the options that put a client on the
	// transport. It is called once per client; nil means none.
	ClientOptions func(t testing.TB) []client.Option
}

// testCase is one behaviour of the suite.
type testCase struct {
	name string
	run  func(t *testing.T, e env)
}

// cases is the suite, in the order Run runs it.
var cases = []testCase{
	{"ClientPublishReachesServerWithSenderID", clientPublishReachesServer},
	{"ServerPublishReachesSubscribedClientsOnly", serverPublishReachesSubscribers},
	{"PublishesArriveInOrder", publishesArriveInOrder},
	{"SendToReachesOnlyThatClient", sendToReachesOnlyThatClient},
	{"BroadcastReachesEverySubscriber", broadcastReachesEverySubscriber},
	{"RelayReachesOtherSubscribers", relayReachesOtherSubscribers},
	{"Call", call},
	{"RemoteErrorCarriesCode", remoteErrorCarriesCode},
	{"NoHandler", noHandler},
	{"ConcurrentCalls", concurrentCalls},
	{"ServerCallsClient", serverCallsClient},
	{"ShutdownWithReconnectingClient", shutdownWithReconnectingClient},
	{"KeepaliveKeepsHealthyConnection", keepaliveKeepsHealthyConnection},
}

// Run runs every case of the suite as a subtest of t, on the transport e
// describes.
func Run(t *testing.T, e Env) {
	if e.Addr == nil {
		t.Fatal("conformance: Env.Addr is required")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, env{e}) })
	}
}
