package transport_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport"
)

// nodeFraming is the Node.js compatibility framing.
var nodeFraming = transport.Delimited([]byte(transport.NodeDelimiter))

// prefixed encodes msgs in the LengthPrefixed framing.
func prefixed(msgs ...string) []byte {
	var b []byte
	for _, m := range msgs {
		b = binary.BigEndian.AppendUint32(b, uint32(len(m)))
		b = append(b, m...)
	}
	return b
}

// readAll reads frames until an error and returns them with that error.
func readAll(r transport.FrameReader) ([]string, error) {
	var msgs []string
	for {
		m, err := r.ReadFrame()
		if err != nil {
			return msgs, err
		}
		msgs = append(msgs, string(m))
	}
}

// chunkReader returns data in reads of the given sizes, in turn.
type chunkReader struct {
	data  []byte
	sizes []int
	i     int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(c.data), c.sizes[c.i%len(c.sizes)])
	c.i++
	n = copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// piecesReader returns each piece in a read of its own, empty ones
// included, then io.EOF.
type piecesReader struct{ pieces [][]byte }

func (r *piecesReader) Read(p []byte) (int, error) {
	if len(r.pieces) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.pieces[0])
	r.pieces[0] = r.pieces[0][n:]
	if len(r.pieces[0]) == 0 {
		r.pieces = r.pieces[1:]
	}
	return n, nil
}

// readers returns the ways tests feed a stream to a FrameReader.
func readers(data []byte) map[string]func() io.Reader {
	return map[string]func() io.Reader{
		"whole":    func() io.Reader { return bytes.NewReader(data) },
		"one byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(data)) },
		"data+EOF": func() io.Reader { return iotest.DataErrReader(bytes.NewReader(data)) },
		"chunks":   func() io.Reader { return &chunkReader{data: data, sizes: []int{3, 1, 7, 2, 5}} },
	}
}

// everySplit calls fn with readers that deliver data in three reads, cut
// at every pair of points.
func everySplit(data []byte, fn func(i, j int, r io.Reader)) {
	for i := 0; i <= len(data); i++ {
		for j := i; j <= len(data); j++ {
			fn(i, j, &piecesReader{pieces: [][]byte{data[:i:i], data[i:j:j], data[j:]}})
		}
	}
}

// shortDir returns a new directory with a path short enough for sockets.
func shortDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.MkdirTemp("", "sk")
	require.NoError(tb, err)
	tb.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// socketPair returns the two ends of a connected unix socket.
func socketPair(tb testing.TB) (net.Conn, net.Conn) {
	tb.Helper()
	ln, err := net.Listen("unix", filepath.Join(shortDir(tb), "s"))
	require.NoError(tb, err)
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	a, err := net.Dial("unix", ln.Addr().String())
	require.NoError(tb, err)
	b := <-accepted
	require.NotNil(tb, b)
	tb.Cleanup(func() {
		a.Close()
		b.Close()
	})
	return a, b
}

// isEnd reports whether err is one a reader may end a stream with.
func isEnd(err error) bool {
	return err == io.EOF || err == io.ErrUnexpectedEOF || errors.Is(err, transport.ErrFrameTooLarge)
}
