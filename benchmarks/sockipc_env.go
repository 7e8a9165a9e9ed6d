package main

import (
	"context"
	"fmt"
	"time"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/transport"
	sknats "github.com/sockipc/sockipc/transport/nats"
)

// sockipc runs with its defaults: the msgpack codec, blocking backpressure,
// queues of their default sizes. Errors reported by OnError on either side
// fail the run.
//
// The same workload code runs over two transports: unix sockets, the
// default (system "sockipc"), and NATS (system "sockipc-nats"). Only how
// the server and clients reach each other differs, as in an application.

// sockipcNet is how the server and clients of one run reach each other.
type sockipcNet struct {
	addr string // where the server listens and the clients dial
	// transport returns the transport of one end, the server or a client,
	// each its own; nil means the default, unix sockets.
	transport func() (transport.Transport, error)
}

// sockipcVia sets up the sockipcNet of one run; what it opens is released
// when s stops, after the server and clients using it. Asynchronous errors
// of the carrier go to errs.
type sockipcVia func(s *stopper, errs *errorLog) (sockipcNet, error)

// overUnix is the default transport, on a socket in a temporary directory.
func overUnix(s *stopper, _ *errorLog) (sockipcNet, error) {
	path, remove, err := tempSocket()
	if err != nil {
		return sockipcNet{}, err
	}
	s.onStop(remove)
	return sockipcNet{addr: path}, nil
}

// overNATS is the NATS transport (transport/nats), on the embedded
// nats-server that the nats system uses. The server and every client have
// a transport of their own on a NATS connection of their own, as they
// would on different machines; the connections' asynchronous errors (a
// slow consumer, say) fail the run, as for the nats system.
func overNATS(s *stopper, errs *errorLog) (sockipcNet, error) {
	url, err := startNATS(s)
	if err != nil {
		return sockipcNet{}, err
	}
	return sockipcNet{addr: "bench", transport: func() (transport.Transport, error) {
		nc, err := connectNATS(s, url, errs)
		if err != nil {
			return nil, err
		}
		t, err := sknats.New(sknats.WithConn(nc)) // leaves nc to the stopper
		if err != nil {
			return nil, fmt.Errorf("nats transport: %w", err)
		}
		s.onStop(func() { t.Close() })
		return t, nil
	}}, nil
}

// startSockipcServer starts a server reached via via, after setup
// registered its handlers, and returns the server and how clients reach it.
func startSockipcServer(s *stopper, errs *errorLog, via sockipcVia, setup func(*server.Server) error) (*server.Server, sockipcNet, error) {
	sn, err := via(s, errs)
	if err != nil {
		return nil, sockipcNet{}, err
	}
	opts := []server.Option{server.OnError(errs.add)}
	if sn.transport != nil {
		t, err := sn.transport()
		if err != nil {
			return nil, sockipcNet{}, fmt.Errorf("sockipc server: %w", err)
		}
		opts = append(opts, server.WithTransport(t))
	}
	srv, err := server.New(sn.addr, opts...)
	if err != nil {
		return nil, sockipcNet{}, fmt.Errorf("sockipc server: %w", err)
	}
	if err := setup(srv); err != nil {
		return nil, sockipcNet{}, fmt.Errorf("sockipc server: %w", err)
	}
	if err := srv.Listen(); err != nil {
		return nil, sockipcNet{}, fmt.Errorf("sockipc server: %w", err)
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		if err := srv.Serve(context.Background()); err != nil {
			errs.add(fmt.Errorf("sockipc serve: %w", err))
		}
	}()
	s.onStop(func() {
		srv.Close()
		<-served
	})
	return srv, sn, nil
}

// connectSockipc connects a client, on a transport of its own, to the
// server sn reaches, after setup registered its subscriptions.
func connectSockipc(s *stopper, sn sockipcNet, errs *errorLog, setup func(*client.Client) error) (*client.Client, error) {
	opts := []client.Option{client.OnError(errs.add)}
	if sn.transport != nil {
		t, err := sn.transport()
		if err != nil {
			return nil, fmt.Errorf("sockipc client: %w", err)
		}
		opts = append(opts, client.WithTransport(t))
	}
	cl, err := client.New(sn.addr, opts...)
	if err != nil {
		return nil, fmt.Errorf("sockipc client: %w", err)
	}
	s.onStop(func() { cl.Close() })
	if setup != nil {
		if err := setup(cl); err != nil {
			return nil, fmt.Errorf("sockipc client: %w", err)
		}
	}
	ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
	defer cancel()
	if err := cl.Connect(ctx); err != nil {
		return nil, fmt.Errorf("sockipc connect: %w", err)
	}
	return cl, nil
}
