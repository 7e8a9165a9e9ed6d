package nats_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	natsgo "github.com/nats-io/nats.go"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// The benchmarks compare sockipc over NATS with NATS used directly, on
// the same embedded NATS server, in one binary:
//
//	go test -run '^$' -bench . -benchmem .
//
// W1 is one publisher to one receiver (ns/op per message), W3 sequential
// calls (ns/op per call). The direct baselines do the same application
// work: encode a sample with MessagePack, publish it (or request), decode
// it on the other side (and answer).

// sample is the message of every workload.
type sample struct {
	ID   int64
	Name string
	Vals []float64
}

func newSample(i int) sample {
	return sample{ID: int64(i), Name: "0123456789abcdef", Vals: []float64{1, 2, 3, 4}}
}

var (
	samples = topic.New[sample]("bench.sample")
	echo    = topic.NewProcedure[sample, sample]("bench.echo")
)

// benchPair starts a sockipc server and one client over NATS, each with
// its own NATS connection; setup registers the server's handlers.
func benchPair(b *testing.B, setup func(*server.Server)) *client.Client {
	b.Helper()
	addr := name()
	srv := h.ServerAt(b, addr, server.WithTransport(newTransport(b)))
	setup(srv)
	return h.Client(b, addr, nil, client.WithTransport(newTransport(b)))
}

// BenchmarkW1 is one publisher sending samples to one receiver.
func BenchmarkW1(b *testing.B) {
	b.Run("nats", func(b *testing.B) {
		pub, recv := newTransport(b).Conn(), newTransport(b).Conn()
		subject := "bench.w1." + name()
		n := int64(b.N)
		var got atomic.Int64
		done := make(chan struct{})
		sub, err := recv.Subscribe(subject, func(m *natsgo.Msg) {
			var s sample
			if err := msgpack.Unmarshal(m.Data, &s); err != nil {
				b.Error(err)
			}
			if got.Add(1) == n {
				close(done)
			}
		})
		if err != nil {
			b.Fatal(err)
		}
		defer sub.Unsubscribe()
		if err := sub.SetPendingLimits(-1, -1); err != nil {
			b.Fatal(err)
		}
		if err := recv.Flush(); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			data, err := msgpack.Marshal(newSample(i))
			if err != nil {
				b.Fatal(err)
			}
			if err := pub.Publish(subject, data); err != nil {
				b.Fatal(err)
			}
		}
		wait(b, done)
	})
	b.Run("sockipc", func(b *testing.B) {
		n := int64(b.N)
		var got int64
		done := make(chan struct{})
		cl := benchPair(b, func(srv *server.Server) {
			_, err := topic.Subscribe(srv, samples, func(ctx context.Context, s sample, _ topic.Peer) {
				if got++; got == n {
					close(done)
				}
			})
			if err != nil {
				b.Fatal(err)
			}
		})
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			if err := topic.Publish(ctx, cl, samples, newSample(i)); err != nil {
				b.Fatal(err)
			}
		}
		wait(b, done)
	})
}

// BenchmarkW3 is sequential calls: one in flight at a time.
func BenchmarkW3(b *testing.B) {
	b.Run("nats", func(b *testing.B) {
		caller, callee := newTransport(b).Conn(), newTransport(b).Conn()
		subject := "bench.w3." + name()
		sub, err := callee.Subscribe(subject, func(m *natsgo.Msg) {
			var s sample
			if err := msgpack.Unmarshal(m.Data, &s); err != nil {
				b.Error(err)
			}
			data, err := msgpack.Marshal(s)
			if err == nil {
				err = m.Respond(data)
			}
			if err != nil {
				b.Error(err)
			}
		})
		if err != nil {
			b.Fatal(err)
		}
		defer sub.Unsubscribe()
		if err := callee.Flush(); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			data, err := msgpack.Marshal(newSample(i))
			if err != nil {
				b.Fatal(err)
			}
			m, err := caller.Request(subject, data, time.Second)
			if err != nil {
				b.Fatal(err)
			}
			var s sample
			if err := msgpack.Unmarshal(m.Data, &s); err != nil || s.ID != int64(i) {
				b.Fatal(s.ID, err)
			}
		}
	})
	b.Run("sockipc", func(b *testing.B) {
		cl := benchPair(b, func(srv *server.Server) {
			_, err := topic.Handle(srv, echo, func(ctx context.Context, s sample, _ topic.Peer) (sample, error) { return s, nil })
			if err != nil {
				b.Fatal(err)
			}
		})
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			s, err := topic.Call(ctx, cl, echo, newSample(i))
			if err != nil || s.ID != int64(i) {
				b.Fatal(s.ID, err)
			}
		}
	})
}

func wait(b *testing.B, done <-chan struct{}) {
	select {
	case <-done:
	case <-time.After(time.Minute):
		b.Fatal("not every message arrived")
	}
}
