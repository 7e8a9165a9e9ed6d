package transport_test

import (
	"bytes"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport"
)

// An interrupted read loses nothing: cut short before a frame, inside its
// header, or inside its body (one smaller and one larger than the read
// buffer), reading resumes with the same frame, whole.
func TestInterruptReadResumes(t *testing.T) {
	t.Parallel()
	for _, delimited := range []bool{false, true} {
		framing := transport.LengthPrefixed
		if delimited {
			framing = transport.Delimited([]byte("\n"))
		}
		for _, size := range []int{0, 10, 3000, 20000} {
			body := strings.Repeat("x", size)
			frame := prefixed(body)
			if delimited {
				frame = []byte(body + "\n")
			}
			for _, cut := range []int{0, min(2, len(frame)-1), len(frame) / 2, len(frame) - 1} {
				a, b := socketPair(t)
				reads := make(chan struct{}, 100)
				r := transport.NewStreamConn(readsOf{b, reads}, framing)
				t.Cleanup(func() { a.Close(); r.Close() })
				ri, ok := r.(transport.ReadInterrupter)
				require.True(t, ok, "a stream over a socket can be interrupted")

				_, err := a.Write(frame[:cut])
				require.NoError(t, err)
				read := make(chan error, 1)
				go func() {
					_, err := r.ReadMessage()
					read <- err
				}()
				// Once the part sent has been read, the reader waits for
				// the rest: then interrupt it.
				<-reads
				if cut > 0 {
					<-reads
				}
				ri.InterruptRead()
				require.ErrorIs(t, <-read, transport.ErrReadInterrupted, "%v, %d bytes, cut at %d", framing, size, cut)
				_, err = r.ReadMessage()
				require.ErrorIs(t, err, transport.ErrReadInterrupted, "until ResumeRead")

				ri.ResumeRead()
				_, err = a.Write(frame[cut:])
				require.NoError(t, err)
				got, err := r.ReadMessage()
				require.NoError(t, err, "%v, %d bytes, cut at %d", framing, size, cut)
				require.Equal(t, body, string(got), "%v, %d bytes, cut at %d", framing, size, cut)
			}
		}
	}
}

// Interrupting never turns into the end of the connection: the end that
// follows is reported as such.
func TestInterruptReadThenEnd(t *testing.T) {
	t.Parallel()
	a, b := socketPair(t)
	r := transport.NewStreamConn(b, nil)
	t.Cleanup(func() { r.Close() })
	ri := r.(transport.ReadInterrupter)
	ri.InterruptRead()
	_, err := r.ReadMessage()
	require.ErrorIs(t, err, transport.ErrReadInterrupted)
	ri.ResumeRead()
	require.NoError(t, a.Close())
	_, err = r.ReadMessage()
	require.ErrorIs(t, err, io.EOF)
	require.NotErrorIs(t, err, transport.ErrReadInterrupted)
}

// A stream without deadlines cannot be interrupted, and says so.
func TestInterruptNeedsDeadlines(t *testing.T) {
	t.Parallel()
	c := transport.NewStreamConn(nopCloser{bytes.NewBuffer(nil)}, nil)
	_, ok := c.(transport.ReadInterrupter)
	require.False(t, ok)
}

// readsOf tells of every Read on its connection, before it starts.
type readsOf struct {
	net.Conn
	reads chan<- struct{}
}

func (c readsOf) Read(p []byte) (int, error) {
	c.reads <- struct{}{}
	return c.Conn.Read(p)
}

type nopCloser struct{ *bytes.Buffer }

func (nopCloser) Close() error { return nil }
