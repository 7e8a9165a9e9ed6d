package server_test

import (
	"context"
	"testing"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/topic"
)

// sample is the message of the throughput benchmarks.
type sample struct {
	ID   int64
	Name string
	Vals []float64
}

var samples = topic.New[sample]("bench.sample")

func newSample(i int) sample {
	return sample{ID: int64(i), Name: "0123456789abcdef", Vals: []float64{1, 2, 3, 4}}
}

// BenchmarkRawOneWay is the baseline of BenchmarkPublish: frames written
// as fast as possible, flushed when the writer has nothing more, read and
// decoded on the other side.
func BenchmarkRawOneWay(b *testing.B) {
	w, r := rawPair(b)
	done := make(chan int64)
	n := b.N
	go func() {
		var s sample
		var last int64
		for i := 0; i < n; i++ {
			if err := r.read(&s); err != nil {
				break
			}
			last = s.ID
		}
		done <- last
	}()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range n {
		if err := w.write(newSample(i)); err != nil {
			b.Fatal(err)
		}
	}
	w.w.Flush()
	if last := <-done; last != int64(n-1) {
		b.Fatalf("last %d, want %d", last, n-1)
	}
}

// BenchmarkPublish is one client publishing to a server handler: the
// throughput of the whole path, encode to handler (ns/op per message).
func BenchmarkPublish(b *testing.B) {
	srv, path := h.Server(b)
	n := int64(b.N)
	done := make(chan struct{})
	var got int64
	_, err := topic.Subscribe(srv, samples, func(ctx context.Context, s sample, _ topic.Peer) {
		got++
		if got == n {
			close(done)
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	cl := h.Client(b, path, nil)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := topic.Publish(ctx, cl, samples, newSample(i)); err != nil {
			b.Fatal(err)
		}
	}
	<-done
}

// BenchmarkBroadcast is the server publishing to 4 subscribed clients
// (ns/op per publish; each reaches 4 clients).
func BenchmarkBroadcast(b *testing.B) {
	srv, path := h.Server(b)
	n := int64(b.N)
	dones := make([]chan struct{}, 4)
	for i := range dones {
		dones[i] = make(chan struct{})
		var got int64
		h.Client(b, path, func(c *client.Client) {
			_, err := topic.Subscribe(c, samples, func(ctx context.Context, s sample, _ topic.Peer) {
				got++
				if got == n {
					close(dones[i])
				}
			})
			if err != nil {
				b.Fatal(err)
			}
		})
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := topic.Publish(ctx, srv, samples, newSample(i)); err != nil {
			b.Fatal(err)
		}
	}
	for _, d := range dones {
		<-d
	}
}
