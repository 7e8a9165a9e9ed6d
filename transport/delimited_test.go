package transport_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport"
)

func TestDelimitedSplitPoints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		delim string
		data  string
		want  []string
	}{
		{"node", transport.NodeDelimiter, "{\"a\":1}\x00\x00{\"b\":2}\x00\x00", []string{`{"a":1}`, `{"b":2}`}},
		{"one byte", "\n", "first\nsecond\n", []string{"first", "second"}},
		{"three bytes", "END", "xENxENDyEEND", []string{"xENx", "yE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := transport.Delimited([]byte(tt.delim))
			everySplit([]byte(tt.data), func(i, j int, r io.Reader) {
				msgs, err := readAll(f.NewReader(r))
				require.Equal(t, io.EOF, err, "cut at %d and %d", i, j)
				require.Equal(t, tt.want, msgs, "cut at %d and %d", i, j)
			})
			for name, r := range readers([]byte(tt.data)) {
				msgs, err := readAll(f.NewReader(r()))
				require.Equal(t, io.EOF, err, name)
				require.Equal(t, tt.want, msgs, name)
			}
		})
	}
}

// TestDelimitedSplitsLikeNode checks the cases where the first occurrence
// of the delimiter matters, against what JavaScript's "...".split("\0\0")
// gives.
func TestDelimitedSplitsLikeNode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		want []string
	}{
		{"three NULs", "a\x00\x00\x00b\x00\x00", []string{"a", "\x00b"}},
		{"four NULs", "\x00\x00\x00\x00", []string{"", ""}},
		{"one NUL inside", "a\x00b\x00\x00", []string{"a\x00b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for name, r := range readers([]byte(tt.data)) {
				msgs, err := readAll(nodeFraming.NewReader(r()))
				require.Equal(t, io.EOF, err, name)
				require.Equal(t, tt.want, msgs, name)
			}
		})
	}
}

func TestDelimitedManyFramesInOneRead(t *testing.T) {
	t.Parallel()
	var want []string
	var data []byte
	for i := range 1000 {
		m := strings.Repeat("m", i%300)
		want = append(want, m)
		data = append(data, m+transport.NodeDelimiter...)
	}
	msgs, err := readAll(nodeFraming.NewReader(bytes.NewReader(data)))
	require.Equal(t, io.EOF, err)
	require.Equal(t, want, msgs)
}

func TestDelimitedLargeMessages(t *testing.T) {
	t.Parallel()
	for _, size := range []int{4 << 10, 100 << 10, 1 << 20} {
		a := strings.Repeat("a", size)
		b := strings.Repeat("b", size/3)
		data := []byte(a + transport.NodeDelimiter + b + transport.NodeDelimiter + "c" + transport.NodeDelimiter)
		for name, r := range readers(data) {
			if size > 100<<10 && name != "whole" {
				continue // byte by byte, this only makes the test slow
			}
			msgs, err := readAll(nodeFraming.NewReader(r()))
			require.Equal(t, io.EOF, err, name)
			require.Equal(t, []string{a, b, "c"}, msgs, "%s, size %d", name, size)
		}
	}
}

func TestDelimitedReadLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		data   string
		want   []string
		tooBig bool
	}{
		{"at the limit", "0123456789\x00\x00", []string{"0123456789"}, false},
		{"over the limit", "0123456789a\x00\x00", nil, true},
		{"no delimiter", strings.Repeat("x", 1000), nil, true},
		{"limit then half a delimiter", "0123456789\x00", nil, false},
		{"after a good frame", "ok\x00\x00" + strings.Repeat("x", 100), []string{"ok"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for name, r := range readers([]byte(tt.data)) {
				fr := nodeFraming.NewReader(r())
				fr.SetReadLimit(10)
				msgs, err := readAll(fr)
				assert.Equal(t, tt.want, msgs, name)
				if tt.tooBig {
					require.ErrorIs(t, err, transport.ErrFrameTooLarge, name)
					assert.ErrorContains(t, err, "the read limit is 10 bytes", name)
				} else {
					require.NotErrorIs(t, err, transport.ErrFrameTooLarge, name)
				}
			}
		})
	}
}

func TestDelimitedEnd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		want error
	}{
		{"empty stream", "", io.EOF},
		{"after a frame", "a\x00\x00", io.EOF},
		{"inside a frame", "a\x00\x00b", io.ErrUnexpectedEOF},
		{"inside the delimiter", "a\x00", io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for name, r := range readers([]byte(tt.data)) {
				_, err := readAll(nodeFraming.NewReader(r()))
				assert.Equal(t, tt.want, err, name)
			}
		})
	}
}

func TestDelimitedEmptyDelimiterPanics(t *testing.T) {
	t.Parallel()
	assert.Panics(t, func() { transport.Delimited(nil) })
}

func TestDelimitedKeepsNoReferenceToDelim(t *testing.T) {
	t.Parallel()
	delim := []byte("|")
	f := transport.Delimited(delim)
	delim[0] = 'x'
	msgs, err := readAll(f.NewReader(strings.NewReader("a|b|")))
	require.Equal(t, io.EOF, err)
	require.Equal(t, []string{"a", "b"}, msgs)
}
