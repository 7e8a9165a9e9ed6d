package nats

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"
)

// records lays out messages as a batch's records.
func records(msgs ...string) []byte {
	var b []byte
	for _, m := range msgs {
		b = binary.BigEndian.AppendUint32(b, uint32(len(m)))
		b = append(b, m...)
	}
	return b
}

// Each record of a batch arrives as one frame, in order.
func TestWriteBatch(t *testing.T) {
	srv, cl := linkPair(t)
	require.NoError(t, cl.WriteBatch([][]byte{records("a", "bb"), records(""), records("ccc")}))
	for _, want := range []string{"a", "bb", "", "ccc"} {
		require.Equal(t, want, mustRead(t, srv))
	}
	require.Error(t, cl.WriteBatch([][]byte{{0, 0, 0, 9, 'x'}}), "a record longer than its buffer")
	require.Error(t, cl.WriteBatch([][]byte{{0, 0}}), "a buffer shorter than a length")
}

// TryWriteBatch publishes what the window takes, whole records only, and
// leaves the rest.
func TestTryWriteBatchStopsAtFullWindow(t *testing.T) {
	srv, cl := linkPair(t, WithWindow(2, 1<<20))
	bufs := [][]byte{records("a", "b", "c")}
	n, err := cl.TryWriteBatch(bufs)
	require.NoError(t, err)
	require.Equal(t, len(records("a", "b")), n)
	require.Equal(t, "a", mustRead(t, srv))
	require.NoError(t, cl.WriteBatch([][]byte{bufs[0][n:]}))
	require.Equal(t, "b", mustRead(t, srv))
	require.Equal(t, "c", mustRead(t, srv))
}
