package transport

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func frames(n, size int) []byte {
	var b []byte
	for range n {
		b = binary.BigEndian.AppendUint32(b, uint32(size))
		b = append(b, bytes.Repeat([]byte{'x'}, size)...)
	}
	return b
}

// oneFramePerRead hands out one frame of the given total size per Read.
type oneFramePerRead struct {
	data []byte
	size int
}

func (r *oneFramePerRead) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.data[:min(r.size, len(r.data))])
	r.data = r.data[n:]
	return n, nil
}

func drain(t *testing.T, r FrameReader) {
	t.Helper()
	for {
		if _, err := r.ReadFrame(); err != nil {
			require.Equal(t, io.EOF, err)
			return
		}
	}
}

func TestReadBufferStaysSmallForSmallReads(t *testing.T) {
	t.Parallel()
	r := LengthPrefixed.NewReader(&oneFramePerRead{data: frames(1000, 60), size: 64}).(*prefixedReader)
	drain(t, r)
	assert.Equal(t, minReadBuffer, r.b.size())
}

func TestReadBufferGrowsUnderLoadAndShrinksAfter(t *testing.T) {
	t.Parallel()
	bulk := bytes.NewReader(frames(10000, 60))
	trickle := &oneFramePerRead{data: frames(1000, 60), size: 64}
	r := LengthPrefixed.NewReader(bulk).(*prefixedReader)
	for bulk.Len() > 0 {
		_, err := r.ReadFrame()
		require.NoError(t, err)
	}
	assert.Equal(t, maxReadBuffer, r.b.size(), "reads that keep filling the buffer grow it")

	r.b.rd = trickle
	drain(t, r)
	assert.Equal(t, minReadBuffer, r.b.size(), "small reads shrink it back")
}

func TestLargeFrameIsNotKept(t *testing.T) {
	t.Parallel()
	const size = 100 << 10
	r := LengthPrefixed.NewReader(bytes.NewReader(frames(2, size))).(*prefixedReader)
	for range 2 {
		msg, err := r.ReadFrame()
		require.NoError(t, err)
		assert.Equal(t, size, cap(msg), "read into an exactly sized allocation")
		assert.Equal(t, minReadBuffer, r.b.size())
	}
}

func TestDelimitedLargeFrameBufferIsDropped(t *testing.T) {
	t.Parallel()
	data := append(bytes.Repeat([]byte{'x'}, 100<<10), "\x00\x00small\x00\x00"...)
	r := Delimited([]byte("\x00\x00")).NewReader(bytes.NewReader(data)).(*delimitedReader)
	msg, err := r.ReadFrame()
	require.NoError(t, err)
	require.Len(t, msg, 100<<10)
	msg, err = r.ReadFrame()
	require.NoError(t, err)
	require.Equal(t, "small", string(msg))
	_, err = r.ReadFrame()
	require.Equal(t, io.EOF, err)
	assert.False(t, r.b.temporary(), "back to the connection's own buffer")
	assert.Equal(t, minReadBuffer, r.b.size())
}

func TestWriterHoldsNoBufferWhenIdle(t *testing.T) {
	t.Parallel()
	for _, f := range []Framing{LengthPrefixed, Delimited([]byte("\x00\x00"))} {
		w := f.NewWriter(io.Discard).(*frameWriter)
		assert.Nil(t, w.bufp, "no buffer before the first write")
		require.NoError(t, w.WriteFrame([]byte("hello")))
		assert.NotNil(t, w.bufp)
		require.NoError(t, w.Flush())
		assert.Nil(t, w.bufp, "buffer returned by Flush")
		require.NoError(t, w.WriteFrame(make([]byte, 1<<20)))
		require.NoError(t, w.Flush())
		assert.Nil(t, w.bufp, "buffer returned after a large write")
	}
}
