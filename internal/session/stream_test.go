package session

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/internal/wire"
)

// While the writer goroutine leaves a stream to its publisher, published
// messages do not disturb it, and anything else ends the pause at once: a
// call must not wait for the stream.
func TestStreamPauseEndsForWhatIsNotPublished(t *testing.T) {
	tests := []struct {
		name   string
		m      message
		urgent bool
	}{
		{"published message", message{env: wire.Envelope{Kind: wire.KindPublish, Topic: "t"}, publish: true}, false},
		{"published body", message{body: []byte{0x90}, publish: true}, false},
		{"request", message{env: wire.Envelope{Kind: wire.KindRequest, ID: 1, Topic: "t"}}, true},
		{"reply", message{env: wire.Envelope{Kind: wire.KindReply, ID: 1}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newQueue(wire.Native, 1<<20, 0)
			q.setPausing(true)
			before := q.publishCount()
			_, err := q.tryPush(&tt.m, false)
			require.NoError(t, err)
			select {
			case <-q.urgent:
				require.True(t, tt.urgent, "the pause ended for a published message")
			default:
				require.False(t, tt.urgent, "the pause goes on")
			}
			want := before
			if tt.m.publish {
				want++
			}
			require.Equal(t, want, q.publishCount())
			q.setPausing(false)
			q.close()
		})
	}
}

// Once the pause is over, nothing queued signals it, and a signal left
// from before a pause is gone: each pause starts afresh.
func TestStreamPauseSignalsOnlyWhilePausing(t *testing.T) {
	q := newQueue(wire.Native, 1<<20, 0)
	defer q.close()
	signal(q.urgent) // as a publisher that found the socket full before
	q.setPausing(true)
	select {
	case <-q.urgent:
		t.Fatal("a signal from before the pause ended it")
	default:
	}
	_, err := q.tryPush(&message{env: wire.Envelope{Kind: wire.KindPing, ID: 1}}, false)
	require.NoError(t, err)
	q.setPausing(false)
	_, err = q.tryPush(&message{env: wire.Envelope{Kind: wire.KindPing, ID: 2}}, false)
	require.NoError(t, err)
	select {
	case <-q.urgent:
		t.Fatal("a signal outlived its pause")
	default:
	}
}
