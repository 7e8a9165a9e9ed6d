package main

import (
	"context"
	"fmt"

	"github.com/sockipc/sockipc/benchmarks/sample"
	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// sockipcToServer is W1 from a client to the server: the client publishes
// n messages with topic.Publish, and a topic.Subscribe handler on the
// server checks each. via is the transport.
func sockipcToServer[T sample.Message](s *stopper, n int, via sockipcVia) (result, error) {
	errs := &errorLog{}
	t := topic.New[T]("bench.sample")
	sq := newSequence(n)
	_, sn, err := startSockipcServer(s, errs, via, func(srv *server.Server) error {
		_, err := topic.Subscribe(srv, t, func(_ context.Context, m T, _ topic.Peer) { receive(sq, m) })
		return err
	})
	if err != nil {
		return result{}, err
	}
	cl, err := connectSockipc(s, sn, errs, nil)
	if err != nil {
		return result{}, err
	}
	elapsed, err := s.run(
		func() error { return sockipcPublish(s.ctx, cl, t, n) },
		func() error { return sq.wait(s.quit) },
	)
	if err == nil {
		err = errs.err()
	}
	return result{count: n, elapsed: elapsed}, err
}

// sockipcFromServer is W1 from the server to a client (receivers == 1)
// and W2 (receivers == 4): the server publishes n messages with
// topic.Publish to the clients subscribed with topic.Subscribe, and each
// client checks every message. via is the transport.
func sockipcFromServer[T sample.Message](s *stopper, n, receivers int, via sockipcVia) (result, error) {
	errs := &errorLog{}
	t := topic.New[T]("bench.sample")
	srv, sn, err := startSockipcServer(s, errs, via, func(*server.Server) error { return nil })
	if err != nil {
		return result{}, err
	}
	parts := []func() error{func() error { return sockipcPublish(s.ctx, srv, t, n) }}
	for range receivers {
		sq := newSequence(n)
		_, err := connectSockipc(s, sn, errs, func(cl *client.Client) error {
			_, err := topic.Subscribe(cl, t, func(_ context.Context, m T, _ topic.Peer) { receive(sq, m) })
			return err
		})
		if err != nil {
			return result{}, err
		}
		parts = append(parts, func() error { return sq.wait(s.quit) })
	}
	elapsed, err := s.run(parts...)
	if err == nil {
		err = errs.err()
	}
	return result{count: n * receivers, elapsed: elapsed}, err
}

// sockipcPublish publishes messages 0 to n-1 on t through ep.
func sockipcPublish[T sample.Message](ctx context.Context, ep topic.Endpoint, t topic.Topic[T], n int) error {
	vals := make([]float64, sample.NumVals)
	for i := range int64(n) {
		if err := topic.Publish(ctx, ep, t, sample.Make[T](i, vals)); err != nil {
			return fmt.Errorf("publish %d: %w", i, err)
		}
	}
	return nil
}
