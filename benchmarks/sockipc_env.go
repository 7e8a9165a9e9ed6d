package main

import (
	"context"
	"fmt"
	"time"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/server"
)

// sockipc runs with its defaults: the msgpack codec, blocking backpressure,
// queues of their default sizes. Errors reported by OnError on either side
// fail the run.

// startSockipcServer starts a server on a socket in a temporary directory,
// after setup registered its handlers, and returns the socket's path.
func startSockipcServer(s *stopper, errs *errorLog, setup func(*server.Server) error) (*server.Server, string, error) {
	path, remove, err := tempSocket()
	if err != nil {
		return nil, "", err
	}
	s.onStop(remove)
	srv, err := server.New(path, server.OnError(errs.add))
	if err != nil {
		return nil, "", fmt.Errorf("sockipc server: %w", err)
	}
	if err := setup(srv); err != nil {
		return nil, "", fmt.Errorf("sockipc server: %w", err)
	}
	if err := srv.Listen(); err != nil {
		return nil, "", fmt.Errorf("sockipc server: %w", err)
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
	return srv, path, nil
}

// connectSockipc connects a client to the server at path, after setup
// registered its subscriptions.
func connectSockipc(s *stopper, path string, errs *errorLog, setup func(*client.Client) error) (*client.Client, error) {
	cl, err := client.New(path, client.OnError(errs.add))
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
