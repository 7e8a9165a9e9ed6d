package server_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/codec"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/topic"
)

// A publish allocates no more than the codec does to encode the message
// alone: the envelope, the frame, the queue, the writer, and the reader and
// dispatch on the other side allocate nothing per message (the counts are
// the whole process's). The benchmarks in bench_alloc_test.go show the
// same with -benchmem.
func TestPublishAllocatesNoMoreThanTheCodec(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop values at random, which allocates")
	}
	a := codec.MsgPack.(codec.Appender)
	buf := make([]byte, 0, 256)
	i := 0
	codecAllocs := testing.AllocsPerRun(1000, func() {
		s := newSample(i)
		i++
		buf, _ = a.AppendMarshal(buf[:0], &s)
	})

	srv, path := h.Server(t)
	// The server's publishes reach a client that takes them undecoded.
	h.Client(t, path, func(c *client.Client) {
		_, err := c.SubscribeRaw(samples.Name(), func(context.Context, topic.RawMessage, topic.Peer) error { return nil })
		require.NoError(t, err)
	})
	for _, ep := range []topic.Endpoint{h.Client(t, path, nil), srv} {
		ctx := context.Background()
		publishAllocs := testing.AllocsPerRun(1000, func() {
			if err := topic.Publish(ctx, ep, samples, newSample(i)); err != nil {
				t.Fatal(err)
			}
			i++
		})
		t.Logf("%T: publish %v allocations, codec %v", ep, publishAllocs, codecAllocs)
		assert.LessOrEqual(t, publishAllocs, codecAllocs)
	}
}
