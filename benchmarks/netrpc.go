package main

import (
	"context"
	"fmt"
	"net/rpc"

	"github.com/sockipc/sockipc/benchmarks/sample"
)

// net/rpc over a unix socket, with its default codec, gob: a service whose
// Echo method answers with its argument, for W3 and W4.

// netrpcService is the service registered as "Bench".
type netrpcService struct{}

// Echo answers with its argument.
func (netrpcService) Echo(m sample.Sample, r *sample.Sample) error {
	*r = m
	return nil
}

// netrpcCalls is W3 (concurrent == false) and W4: the client calls
// Bench.Echo with client.Call. W4's 32 callers share the client.
func netrpcCalls(s *stopper, n int, concurrent bool) (result, error) {
	cs, ss, err := unixConns(1)
	if err != nil {
		return result{}, err
	}
	srv := rpc.NewServer()
	if err := srv.RegisterName("Bench", netrpcService{}); err != nil {
		return result{}, fmt.Errorf("net/rpc register: %w", err)
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.ServeConn(ss[0])
	}()
	cl := rpc.NewClient(cs[0])
	s.onStop(func() {
		cl.Close()
		ss[0].Close()
		<-served
	})
	call := func(_ context.Context, i int64, vals []float64) error {
		m := sample.Make[sample.Sample](i, vals)
		var r sample.Sample
		if err := cl.Call("Bench.Echo", m, &r); err != nil {
			return err
		}
		return sample.Check(i, r)
	}
	if concurrent {
		return concurrentCalls(s, n, call)
	}
	return sequentialCalls(s, n, call)
}
