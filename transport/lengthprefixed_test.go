package transport_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport"
)

func TestLengthPrefixedSplitPoints(t *testing.T) {
	t.Parallel()
	data := prefixed("hello", "wonderful world")
	want := []string{"hello", "wonderful world"}
	everySplit(data, func(i, j int, r io.Reader) {
		msgs, err := readAll(transport.LengthPrefixed.NewReader(r))
		require.ErrorIs(t, err, io.EOF, "cut at %d and %d", i, j)
		require.Equal(t, want, msgs, "cut at %d and %d", i, j)
	})
	for name, r := range readers(data) {
		msgs, err := readAll(transport.LengthPrefixed.NewReader(r()))
		require.ErrorIs(t, err, io.EOF, name)
		require.Equal(t, want, msgs, name)
	}
}

func TestLengthPrefixedZeroLength(t *testing.T) {
	t.Parallel()
	msgs, err := readAll(transport.LengthPrefixed.NewReader(bytes.NewReader(prefixed("", "x", ""))))
	require.Equal(t, io.EOF, err)
	require.Equal(t, []string{"", "x", ""}, msgs)
}

func TestLengthPrefixedEnd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty stream", nil, io.EOF},
		{"after a frame", prefixed("a"), io.EOF},
		{"inside the length", []byte{0, 0}, io.ErrUnexpectedEOF},
		{"inside the body", prefixed("hello")[:6], io.ErrUnexpectedEOF},
		{"inside a large body", prefixed(strings.Repeat("x", 100<<10))[:50<<10], io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for name, r := range readers(tt.data) {
				_, err := readAll(transport.LengthPrefixed.NewReader(r()))
				assert.Equal(t, tt.want, err, name)
			}
		})
	}
}

// TestLengthPrefixedHugeHeader must not run in parallel: it measures
// allocations.
func TestLengthPrefixedHugeHeader(t *testing.T) {
	data := binary.BigEndian.AppendUint32(nil, 0xFFFFFFFF)
	r := transport.LengthPrefixed.NewReader(bytes.NewReader(data))

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := r.ReadFrame()
	runtime.ReadMemStats(&after)

	require.ErrorIs(t, err, transport.ErrFrameTooLarge)
	assert.ErrorContains(t, err, "4294967295")
	assert.ErrorContains(t, err, fmt.Sprint(transport.DefaultMaxMessageSize))
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20))
}

func TestLengthPrefixedReadLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		limit   int
		size    int
		tooBig  bool
		message string
	}{
		{"under", 10, 9, false, ""},
		{"at", 10, 10, false, ""},
		{"over", 10, 11, true, "11 bytes, the read limit is 10 bytes"},
		{"zero restores the default", 0, 1 << 20, false, ""},
		{"negative restores the default", -1, transport.DefaultMaxMessageSize + 1, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// A frame over the limit is refused on its length alone.
			data := binary.BigEndian.AppendUint32(nil, uint32(tt.size))
			if !tt.tooBig {
				data = prefixed(strings.Repeat("x", tt.size))
			}
			r := transport.LengthPrefixed.NewReader(bytes.NewReader(data))
			r.SetReadLimit(tt.limit)
			msg, err := r.ReadFrame()
			if !tt.tooBig {
				require.NoError(t, err)
				require.Len(t, msg, tt.size)
				return
			}
			require.ErrorIs(t, err, transport.ErrFrameTooLarge)
			assert.ErrorContains(t, err, tt.message)
		})
	}
}

func TestLengthPrefixedSetReadLimitBetweenReads(t *testing.T) {
	t.Parallel()
	r := transport.LengthPrefixed.NewReader(bytes.NewReader(prefixed("123", "1234567890", "12345678901")))
	r.SetReadLimit(3)
	msg, err := r.ReadFrame()
	require.NoError(t, err)
	require.Equal(t, "123", string(msg))
	r.SetReadLimit(10)
	msg, err = r.ReadFrame()
	require.NoError(t, err)
	require.Equal(t, "1234567890", string(msg))
	_, err = r.ReadFrame()
	require.ErrorIs(t, err, transport.ErrFrameTooLarge)
}

func TestLengthPrefixedManyFramesInOneRead(t *testing.T) {
	t.Parallel()
	var want []string
	for i := range 1000 {
		want = append(want, strings.Repeat("m", i%300))
	}
	msgs, err := readAll(transport.LengthPrefixed.NewReader(bytes.NewReader(prefixed(want...))))
	require.Equal(t, io.EOF, err)
	require.Equal(t, want, msgs)
}

// NextBuffered says whether the next frame is in the buffer whole: while
// it does, reading does not move the frames read before, which stay
// valid.
func TestLengthPrefixedNextBuffered(t *testing.T) {
	data := append(prefixed("one", "two", "three"), prefixed("four")[:5]...)
	r := transport.LengthPrefixed.NewReader(&chunkReader{data: data, sizes: []int{len(data)}})
	nb := r.(interface{ NextBuffered() bool })

	require.False(t, nb.NextBuffered(), "nothing is read yet")
	var frames [][]byte
	for _, want := range []string{"one", "two", "three"} {
		f, err := r.ReadFrame()
		require.NoError(t, err)
		require.Equal(t, want, string(f))
		frames = append(frames, f)
		require.Equal(t, want != "three", nb.NextBuffered(), "after %q", want)
	}
	for i, want := range []string{"one", "two", "three"} {
		require.Equal(t, want, string(frames[i]), "a frame read before moved")
	}
	_, err := r.ReadFrame()
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

// A framing that cannot tell reports false, so that its frames are used
// one at a time.
func TestDelimitedNextBufferedIsFalse(t *testing.T) {
	a, _ := streamPair(t, "pipe", nodeFraming)
	require.False(t, a.(transport.NextBufferedReader).NextBuffered())
}
