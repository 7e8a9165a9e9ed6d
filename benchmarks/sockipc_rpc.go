package main

import (
	"context"
	"fmt"

	"github.com/sockipc/sockipc/benchmarks/sample"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// sockipcCalls is W3 (concurrent == false) and W4: a client calls a
// procedure that the server handles with topic.Handle, answering with its
// argument, through topic.Call. W4's 32 callers share the one client. via
// is the transport.
func sockipcCalls[T sample.Message](s *stopper, n int, concurrent bool, via sockipcVia) (result, error) {
	errs := &errorLog{}
	p := topic.NewProcedure[T, T]("bench.echo")
	_, sn, err := startSockipcServer(s, errs, via, func(srv *server.Server) error {
		_, err := topic.Handle(srv, p, func(_ context.Context, m T, _ topic.Peer) (T, error) { return m, nil })
		return err
	})
	if err != nil {
		return result{}, err
	}
	cl, err := connectSockipc(s, sn, errs, nil)
	if err != nil {
		return result{}, err
	}
	call := func(ctx context.Context, i int64, vals []float64) error {
		r, err := topic.Call(ctx, cl, p, sample.Make[T](i, vals))
		if err != nil {
			return err
		}
		return sample.Check(i, r)
	}
	var res result
	if concurrent {
		res, err = concurrentCalls(s, n, call)
	} else {
		res, err = sequentialCalls(s, n, call)
	}
	if err == nil {
		err = errs.err()
	}
	if err != nil {
		return res, fmt.Errorf("sockipc: %w", err)
	}
	return res, nil
}
