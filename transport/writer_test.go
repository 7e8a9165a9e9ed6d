package transport_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport"
)

// recordingWriter keeps every Write call separately.
type recordingWriter struct {
	writes [][]byte
}

func (w *recordingWriter) Write(p []byte) (int, error) {
	w.writes = append(w.writes, bytes.Clone(p))
	return len(p), nil
}

func (w *recordingWriter) all() []byte { return bytes.Join(w.writes, nil) }

var framings = map[string]transport.Framing{
	"length-prefixed": transport.LengthPrefixed,
	"node":            nodeFraming,
}

func TestWriterCoalesces(t *testing.T) {
	t.Parallel()
	for name, f := range framings {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var rec recordingWriter
			w := f.NewWriter(&rec)
			var want []string
			for i := range 100 {
				m := strings.Repeat("x", i)
				want = append(want, m)
				require.NoError(t, w.WriteFrame([]byte(m)))
			}
			assert.Empty(t, rec.writes, "nothing is written before Flush")
			require.NoError(t, w.Flush())
			assert.Len(t, rec.writes, 1, "one write for the whole batch")
			msgs, err := readAll(f.NewReader(bytes.NewReader(rec.all())))
			require.Equal(t, io.EOF, err)
			require.Equal(t, want, msgs)
		})
	}
}

func TestWriterWritesThroughWhenFull(t *testing.T) {
	t.Parallel()
	for name, f := range framings {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var rec recordingWriter
			w := f.NewWriter(&rec)
			var want []string
			for i := range 3000 {
				m := strings.Repeat(string(rune('a'+i%26)), 100)
				want = append(want, m)
				require.NoError(t, w.WriteFrame([]byte(m)))
			}
			require.NoError(t, w.Flush())
			assert.Greater(t, len(rec.writes), 1)
			for _, p := range rec.writes {
				assert.LessOrEqual(t, len(p), 64<<10)
			}
			msgs, err := readAll(f.NewReader(bytes.NewReader(rec.all())))
			require.Equal(t, io.EOF, err)
			require.Equal(t, want, msgs)
		})
	}
}

func TestWriterLargeMessage(t *testing.T) {
	t.Parallel()
	for name, f := range framings {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var rec recordingWriter
			w := f.NewWriter(&rec)
			big := strings.Repeat("B", 200<<10)
			require.NoError(t, w.WriteFrame([]byte("small")))
			require.NoError(t, w.WriteFrame([]byte(big)))
			assert.NotEmpty(t, rec.writes, "a large message is written at once")
			require.NoError(t, w.WriteFrame([]byte("after")))
			require.NoError(t, w.Flush())
			fr := f.NewReader(bytes.NewReader(rec.all()))
			fr.SetReadLimit(1 << 20)
			msgs, err := readAll(fr)
			require.Equal(t, io.EOF, err)
			require.Equal(t, []string{"small", big, "after"}, msgs)
		})
	}
}

func TestWriterDoesNotKeepMessage(t *testing.T) {
	t.Parallel()
	for name, f := range framings {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var rec recordingWriter
			w := f.NewWriter(&rec)
			p := []byte("original")
			require.NoError(t, w.WriteFrame(p))
			copy(p, "XXXXXXXX")
			require.NoError(t, w.Flush())
			msgs, err := readAll(f.NewReader(bytes.NewReader(rec.all())))
			require.Equal(t, io.EOF, err)
			require.Equal(t, []string{"original"}, msgs)
		})
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

func TestWriterErrorIsSticky(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	w := transport.LengthPrefixed.NewWriter(failingWriter{boom})
	require.NoError(t, w.WriteFrame([]byte("queued")))
	require.ErrorIs(t, w.Flush(), boom)
	require.ErrorIs(t, w.WriteFrame([]byte("next")), boom)
	require.ErrorIs(t, w.Flush(), boom)
}

func TestWriterFormats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    transport.Framing
		msgs []string
		want string
	}{
		{"length-prefixed", transport.LengthPrefixed, []string{"hi", ""}, "\x00\x00\x00\x02hi\x00\x00\x00\x00"},
		{"node", nodeFraming, []string{`{"a":1}`, ""}, "{\"a\":1}\x00\x00\x00\x00"},
		{"newline", transport.Delimited([]byte("\n")), []string{"a", "b"}, "a\nb\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var rec recordingWriter
			w := tt.f.NewWriter(&rec)
			for _, m := range tt.msgs {
				require.NoError(t, w.WriteFrame([]byte(m)))
			}
			require.NoError(t, w.Flush())
			require.Equal(t, tt.want, string(rec.all()))
		})
	}
}
