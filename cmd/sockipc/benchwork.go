package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// benchMsg is the message of every workload: about 60 bytes of
// MessagePack.
type benchMsg struct {
	Seq  int64
	Sent int64 // when it was sent, by clock()
	Text string
}

const benchText = "the quick brown fox jumps over the lazy dog"

var (
	benchEcho = topic.NewProcedure[benchMsg, benchMsg]("sockipc.bench.echo")
	epoch     = time.Now()
)

// clock reads the monotonic clock, in nanoseconds.
func clock() int64 { return int64(time.Since(epoch)) }

// benchTopic returns the topic of a workload; against a shared server, it
// is made unique to this process, so that concurrent runs do not mix.
func (b *bencher) benchTopic(name string) topic.Topic[benchMsg] {
	name = "sockipc.bench." + name
	if b.socket != "" {
		name = fmt.Sprintf("%s.%d", name, os.Getpid())
	}
	return topic.New[benchMsg](name)
}

// startServer starts bench's own server, with the echo procedure. stop
// closes it.
func (b *bencher) startServer(ctx context.Context) (srv *server.Server, stop func(), err error) {
	srv, err = server.New(b.own)
	if err != nil {
		return nil, nil, err
	}
	_, err = topic.Handle(srv, benchEcho, func(_ context.Context, m benchMsg, _ topic.Peer) (benchMsg, error) {
		return m, nil
	})
	if err == nil {
		err = srv.Listen()
	}
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.Serve(ctx)
	}()
	return srv, func() { srv.Close(); <-served }, nil
}

// clients connects n clients to the server bench runs against.
func (b *bencher) clients(ctx context.Context, n int) ([]*client.Client, func(), error) {
	path := b.socket
	if path == "" {
		path = b.own
	}
	var cls []*client.Client
	closeAll := func() {
		for _, cl := range cls {
			cl.Close()
		}
	}
	for range n {
		cl, err := dial(ctx, path, false, nil, clientName("bench"))
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		cls = append(cls, cl)
	}
	return cls, closeAll, nil
}

// subscribeInOrder subscribes ep to tp, checks that its messages arrive in
// order, each once, and records each in trial t at offset+Seq.
func subscribeInOrder(ep topic.Endpoint, tp topic.Topic[benchMsg], t *trial, offset int64) error {
	next := int64(0)
	_, err := topic.Subscribe(ep, tp, func(_ context.Context, m benchMsg, _ topic.Peer) {
		if m.Seq != next {
			t.fail(fmt.Errorf("message %d arrived when %d was expected", m.Seq, next))
			return
		}
		next++
		t.record(offset+m.Seq, clock()-m.Sent)
	})
	return err
}

// publishAll publishes n messages on tp from ep.
func publishAll(ep topic.Endpoint, tp topic.Topic[benchMsg], n int64) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		m := benchMsg{Text: benchText}
		for i := range n {
			m.Seq, m.Sent = i, clock()
			if err := topic.Publish(ctx, ep, tp, m); err != nil {
				return fmt.Errorf("publish %d: %w", i, err)
			}
		}
		return nil
	}
}

// benchPublish: one client publishes to a handler on the server (or, with
// --socket, to another client through the server).
func benchPublish(ctx context.Context, b *bencher) (benchResult, error) {
	var receiver topic.Endpoint
	if b.socket == "" {
		srv, stop, err := b.startServer(ctx)
		if err != nil {
			return benchResult{}, err
		}
		defer stop()
		receiver = srv
	}
	cls, closeClients, err := b.clients(ctx, 2)
	if err != nil {
		return benchResult{}, err
	}
	defer closeClients()
	if receiver == nil {
		receiver = cls[1]
	}
	tp := b.benchTopic("publish")
	t := newTrial("publish", b.n)
	if err := subscribeInOrder(receiver, tp, t, 0); err != nil {
		return benchResult{}, err
	}
	return b.measure(ctx, t, publishAll(cls[0], tp, b.n))
}

// benchBroadcast: the server publishes to 4 subscribed clients (or, with
// --socket, a client publishes to 4 others through the server).
func benchBroadcast(ctx context.Context, b *bencher) (benchResult, error) {
	const fanout = 4
	var sender topic.Endpoint
	if b.socket == "" {
		srv, stop, err := b.startServer(ctx)
		if err != nil {
			return benchResult{}, err
		}
		defer stop()
		sender = srv
	}
	cls, closeClients, err := b.clients(ctx, fanout+1)
	if err != nil {
		return benchResult{}, err
	}
	defer closeClients()
	if sender == nil {
		sender = cls[fanout]
	}
	per := b.n / fanout
	tp := b.benchTopic("broadcast")
	t := newTrial("broadcast", per*fanout)
	for i, cl := range cls[:fanout] {
		if err := subscribeInOrder(cl, tp, t, int64(i)*per); err != nil {
			return benchResult{}, err
		}
	}
	return b.measure(ctx, t, publishAll(sender, tp, per))
}

// benchRPC: one client calls the server, one call at a time.
func benchRPC(ctx context.Context, b *bencher) (benchResult, error) {
	return b.calls(ctx, "rpc", b.n/10, 1)
}

// benchRPCConcurrent: 32 goroutines of one client call the server at once.
func benchRPCConcurrent(ctx context.Context, b *bencher) (benchResult, error) {
	return b.calls(ctx, "rpc-32", b.n/2, 32)
}

// calls makes n calls of the echo procedure from one client, from
// parallel goroutines at once, checking every answer.
func (b *bencher) calls(ctx context.Context, name string, n int64, parallel int) (benchResult, error) {
	_, stop, err := b.startServer(ctx)
	if err != nil {
		return benchResult{}, err
	}
	defer stop()
	cls, closeClients, err := b.clients(ctx, 1)
	if err != nil {
		return benchResult{}, err
	}
	defer closeClients()
	cl := cls[0]
	t := newTrial(name, n)
	send := func(ctx context.Context) error {
		var next atomic.Int64
		var wg sync.WaitGroup
		errs := make([]error, parallel)
		for g := range parallel {
			wg.Go(func() {
				m := benchMsg{Text: benchText}
				for {
					i := next.Add(1) - 1
					if i >= n {
						return
					}
					m.Seq, m.Sent = i, clock()
					got, err := topic.Call(ctx, cl, benchEcho, m)
					if err != nil {
						errs[g] = fmt.Errorf("call %d: %w", i, err)
						return
					}
					if got != m {
						t.fail(fmt.Errorf("call %d: answered %+v", i, got))
						return
					}
					t.record(i, clock()-m.Sent)
				}
			})
		}
		wg.Wait()
		return errors.Join(errs...)
	}
	return b.measure(ctx, t, send)
}
