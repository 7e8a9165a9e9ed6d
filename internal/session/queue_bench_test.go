package session

import (
	"testing"

	"github.com/sockipc/sockipc/internal/wire"
)

// BenchmarkQueuePush is the cost of queueing a publish on one goroutine,
// the envelope encoded into the queue's chunk, with the writer's part
// (taking the batch, giving its chunks back) done every 600 messages, as
// a busy writer does: the queue alone, without the cache misses of a
// writer on another CPU.
//
//	go test -run '^$' -bench QueuePush -benchmem ./internal/session
func BenchmarkQueuePush(b *testing.B) {
	q := newQueue(wire.Native, 1<<30, 0)
	m := &message{env: wire.Envelope{Kind: wire.KindPublish, Topic: "bench.sample", Payload: make([]byte, 40)}}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := q.tryPush(m, false); err != nil {
			b.Fatal(err)
		}
		if i%600 == 599 {
			cs, _ := q.take()
			q.written(cs, chunksSize(cs))
		}
	}
}
