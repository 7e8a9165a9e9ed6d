// Package embedded runs NATS servers inside the current process, on
// loopback ports chosen by the system: one for the example and the tests,
// or a cluster of several routed to each other.
package embedded

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// readyTimeout bounds the wait for a server to accept clients, and for a
// cluster to connect its routes.
const readyTimeout = 10 * time.Second

// Start runs one NATS server on a random loopback port. Configure, if not
// nil, may change its options first. Stop it with Shutdown.
func Start(configure func(*server.Options)) (*server.Server, error) {
	opts := &server.Options{
		ServerName: "sockipc-embedded",
		Host:       "127.0.0.1",
		Port:       server.RANDOM_PORT,
		NoLog:      true,
		NoSigs:     true,
	}
	if configure != nil {
		configure(opts)
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded: %w", err)
	}
	s.Start()
	if !s.ReadyForConnections(readyTimeout) {
		Shutdown(s)
		return nil, errors.New("embedded: the NATS server did not start")
	}
	return s, nil
}

// Cluster runs n NATS servers routed to each other on loopback, and waits
// until every route is up. Stop them with Shutdown.
func Cluster(n int) ([]*server.Server, error) {
	var nodes []*server.Server
	var seed string
	for i := range n {
		s, err := Start(func(o *server.Options) {
			o.ServerName = "sockipc-node-" + strconv.Itoa(i+1)
			o.Cluster.Name = "sockipc-embedded"
			o.Cluster.Host = "127.0.0.1"
			o.Cluster.Port = server.RANDOM_PORT
			if seed != "" {
				o.Routes = server.RoutesFromStr(seed)
			}
		})
		if err != nil {
			Shutdown(nodes...)
			return nil, err
		}
		if seed == "" {
			addr := s.ClusterAddr()
			seed = "nats-route://" + net.JoinHostPort(addr.IP.String(), strconv.Itoa(addr.Port))
		}
		nodes = append(nodes, s)
	}
	deadline := time.Now().Add(readyTimeout)
	for _, s := range nodes {
		for s.NumRemotes() < n-1 {
			if time.Now().After(deadline) {
				Shutdown(nodes...)
				return nil, fmt.Errorf("embedded: %s has %d of %d routes", s.Name(), s.NumRemotes(), n-1)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return nodes, nil
}

// Shutdown stops the servers and waits until they are down.
func Shutdown(servers ...*server.Server) {
	for _, s := range servers {
		s.Shutdown()
	}
	for _, s := range servers {
		s.WaitForShutdown()
	}
}
