package transport_test

import (
	"io"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport"
)

// TestDelimitedNodeCutsInsideUTF8 cuts two Node.js messages of multi-byte
// text at every pair of points, inside UTF-8 sequences and between the two
// NULs included: the reader gives the same two messages, byte for byte.
func TestDelimitedNodeCutsInsideUTF8(t *testing.T) {
	t.Parallel()
	first := `{"topic":"é.漢","message":"👩‍👩‍👧 שלום"}`
	second := `{"topic":"","message":"ß` + "\u2028" + `"}`
	data := []byte(first + transport.NodeDelimiter + second + transport.NodeDelimiter)
	continuation := 0
	for _, b := range data {
		if !utf8.RuneStart(b) {
			continuation++
		}
	}
	require.Greater(t, continuation, 20, "cuts fall inside UTF-8 sequences")

	everySplit(data, func(i, j int, r io.Reader) {
		msgs, err := readAll(nodeFraming.NewReader(r))
		require.Equal(t, io.EOF, err, "cut at %d and %d", i, j)
		require.Equal(t, []string{first, second}, msgs, "cut at %d and %d", i, j)
	})
}
