//go:build unix

package transport_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport"
)

// TryWriteBatch writes every buffer it is given in one attempt, as far as
// the socket takes them, and never waits: the caller writes the rest
// later, from where it stopped.
func TestTryWriteBatchWritesAllBuffersWithoutWaiting(t *testing.T) {
	a, b := socketPair(t)
	w := transport.NewStreamConn(a, transport.LengthPrefixed).(transport.TryWriter)
	r := transport.NewStreamConn(b, transport.LengthPrefixed)

	// Records spread over buffers as a queue lays them out, more of them
	// than a socket buffer holds, so the socket fills up.
	var want []string
	var bufs [][]byte
	for i := range 64 {
		var buf []byte
		for j := range 40 {
			m := fmt.Sprintf("record %d.%d %s", i, j, bytes.Repeat([]byte{'x'}, 100))
			want = append(want, m)
			buf = append(buf, prefixed(m)...)
		}
		bufs = append(bufs, buf)
	}
	var all []byte
	for _, buf := range bufs {
		all = append(all, buf...)
	}

	n, err := w.TryWriteBatch(bufs)
	require.NoError(t, err)
	require.Greater(t, n, len(bufs[0]), "more than the first buffer went in one attempt")
	require.Less(t, n, len(all), "the socket took everything: the test needs it to fill up")
	full, err := w.TryWriteBatch([][]byte{all[n:]})
	require.NoError(t, err)
	require.Zero(t, full, "a full socket takes nothing, and the attempt does not wait")

	// Read everything while the rest is written from where it stopped.
	got := make(chan []string, 1)
	go func() {
		var msgs []string
		for range want {
			m, err := r.ReadMessage()
			if err != nil {
				break
			}
			msgs = append(msgs, string(m))
		}
		got <- msgs
	}()
	require.NoError(t, w.(transport.BatchWriter).WriteBatch([][]byte{all[n:]}))
	require.Equal(t, want, <-got)
}
