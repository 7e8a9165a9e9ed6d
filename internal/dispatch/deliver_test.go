package dispatch

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/codec"
	"github.com/sockipc/sockipc/internal/slab"
	"github.com/sockipc/sockipc/topic"
)

const waitLong = 10 * time.Second

// record subscribes to name (every topic if all) and returns a channel of
// "topic:payload" for each message handled, in order.
func record(t *testing.T, r *Registry, name string, all bool) <-chan string {
	t.Helper()
	got := make(chan string, 100)
	_, _, err := r.Subscribe(name, all, func(_ context.Context, m topic.RawMessage, _ topic.Peer) error {
		got <- m.Topic() + ":" + string(m.Payload())
		return nil
	})
	require.NoError(t, err)
	return got
}

func recvN(t *testing.T, c <-chan string, n int) []string {
	t.Helper()
	var out []string
	for range n {
		select {
		case s := <-c:
			out = append(out, s)
		case <-time.After(waitLong):
			t.Fatalf("got %d messages, want %d: %v", len(out), n, out)
		}
	}
	return out
}

// Messages delivered together reach each subscription in the order they
// came, whatever the topics around them, and each takes its own copy: the
// buffer they came from is reused at once.
func TestDeliverAllKeepsOrderAndCopies(t *testing.T) {
	r := New(Options{Codec: codec.MsgPack})
	defer r.Close()
	a, b, all := record(t, r, "a", false), record(t, r, "b", false), record(t, r, "", true)

	buf := []byte("123456")
	peer := &topic.Peer{ID: "p"}
	msgs := []Message{
		{Topic: "a", Body: buf[0:1], From: peer},
		{Topic: "a", Body: buf[1:2], From: peer},
		{Topic: "b", Body: buf[2:3], From: peer},
		{Topic: "a", Body: buf[3:4], From: peer},
		{Topic: "c", Body: buf[4:5], From: peer},
		{Topic: "b", Body: buf[5:6], From: peer},
	}
	require.NoError(t, r.DeliverAll(context.Background(), msgs))
	copy(buf, "XXXXXX")

	require.Equal(t, []string{"a:1", "a:2", "a:4"}, recvN(t, a, 3))
	require.Equal(t, []string{"b:3", "b:6"}, recvN(t, b, 2))
	require.Equal(t, []string{"a:1", "a:2", "b:3", "a:4", "c:5", "b:6"}, recvN(t, all, 6))
}

// More messages than a queue holds: under the blocking policy, DeliverAll
// waits for room and loses nothing; under Drop, it queues what fits and
// counts the rest.
func TestDeliverAllBeyondTheQueue(t *testing.T) {
	for _, drop := range []bool{false, true} {
		t.Run(fmt.Sprintf("drop=%v", drop), func(t *testing.T) {
			r := New(Options{Codec: codec.MsgPack, QueueLen: 4, Drop: drop})
			defer r.Close()
			release := make(chan struct{})
			got := make(chan string, 100)
			_, _, err := r.Subscribe("t", false, func(_ context.Context, m topic.RawMessage, _ topic.Peer) error {
				<-release
				got <- string(m.Payload())
				return nil
			})
			require.NoError(t, err)

			var msgs []Message
			var want []string
			for i := range 10 {
				p := fmt.Sprint(i)
				msgs = append(msgs, Message{Topic: "t", Body: []byte(p), From: &topic.Peer{}})
				want = append(want, p)
			}
			delivered := make(chan error, 1)
			go func() { delivered <- r.DeliverAll(context.Background(), msgs) }()
			if drop {
				require.NoError(t, <-delivered) // returns without waiting for the handler
				// What was kept fills the queue at least, and the handler
				// may have made room for more meanwhile: the messages
				// dropped are not all the last ones, but what is kept
				// arrives in order.
				kept := 10 - int(r.Dropped())
				require.GreaterOrEqual(t, kept, 4)
				require.Less(t, kept, 10)
				close(release)
				got := recvN(t, got, kept)
				require.Equal(t, want[:4], got[:4], "the queue's first fill")
				require.IsIncreasing(t, got)
				require.Subset(t, want, got)
				return
			}
			close(release)
			require.Equal(t, want, recvN(t, got, 10))
			require.NoError(t, <-delivered)
		})
	}
}

// A subscription's queue keeps its storage across the worker's idle
// spells: a worker that finds the queue empty leaves it as it is, so the
// next messages are queued without allocating. (The worker is driven by
// hand here, through the functions its goroutine calls.)
func TestAnIdleWorkerKeepsTheQueueStorage(t *testing.T) {
	r := New(Options{Codec: codec.MsgPack})
	defer r.Close()
	s := &Sub{r: r, name: "t", wake: make(chan struct{}, 1), done: make(chan struct{}),
		h: func(context.Context, topic.RawMessage, topic.Peer) error { return nil }}
	msgs := []Message{{Topic: "t", Body: []byte("1"), From: &topic.Peer{}}}
	// Plain checks: require's would allocate.
	enqueue := func() {
		if err := s.enqueueAll(context.Background(), msgs); err != nil {
			t.Fatal(err)
		}
	}
	take := func(want int) ([]delivery, []*slab.Chunk) {
		batch, chunks := s.take()
		if len(batch) != want {
			t.Fatalf("the worker took %d messages, want %d", len(batch), want)
		}
		return batch, chunks
	}
	// A message arrives while the worker handles the one before: the
	// queue's two slices are both in use. Then the worker, done with
	// both, finds the queue empty.
	burst := func() {
		enqueue()
		batch, chunks := take(1)
		enqueue()
		s.runAll(batch, chunks)
		s.runAll(take(1))
		take(0)
	}
	burst() // the slices are allocated once
	require.Zero(t, testing.AllocsPerRun(100, burst))
}
