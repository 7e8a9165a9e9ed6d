package transport_test

import (
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport"
)

// carriers make the two ends of a byte stream.
var carriers = map[string]func(testing.TB) (net.Conn, net.Conn){
	"pipe":   func(testing.TB) (net.Conn, net.Conn) { return net.Pipe() },
	"socket": socketPair,
}

// streamPair returns two Conns connected to each other.
func streamPair(tb testing.TB, carrier string, f transport.Framing) (transport.Conn, transport.Conn) {
	a, b := carriers[carrier](tb)
	ca, cb := transport.NewStreamConn(a, f), transport.NewStreamConn(b, f)
	tb.Cleanup(func() {
		ca.Close()
		cb.Close()
	})
	return ca, cb
}

// send writes msgs on c from a new goroutine, flushing every few messages,
// and returns a channel with the outcome.
func send(c transport.Conn, msgs []string) <-chan error {
	done := make(chan error, 1)
	go func() {
		for i, m := range msgs {
			if err := c.WriteMessage([]byte(m)); err != nil {
				done <- err
				return
			}
			if i%7 == 0 {
				if err := c.Flush(); err != nil {
					done <- err
					return
				}
			}
		}
		done <- c.Flush()
	}()
	return done
}

func TestStreamConnRoundTrip(t *testing.T) {
	t.Parallel()
	var msgs []string
	for i := range 2000 {
		msgs = append(msgs, fmt.Sprintf("message %d %s", i, strings.Repeat("p", i%500)))
	}
	for carrier := range carriers {
		for name, f := range framings {
			t.Run(carrier+"/"+name, func(t *testing.T) {
				t.Parallel()
				a, b := streamPair(t, carrier, f)
				done := send(a, msgs)
				for i, want := range msgs {
					got, err := b.ReadMessage()
					require.NoError(t, err, "message %d", i)
					require.Equal(t, want, string(got))
				}
				require.NoError(t, <-done)
			})
		}
	}
}

func TestStreamConnLargeMessages(t *testing.T) {
	t.Parallel()
	sizes := []int{1 << 20, 5 << 20, 100, 64<<10 + 1}
	for name, f := range framings {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a, b := streamPair(t, "socket", f)
			var msgs []string
			for i, size := range sizes {
				msgs = append(msgs, strings.Repeat(string(rune('a'+i)), size))
			}
			done := send(a, msgs)
			for _, want := range msgs {
				got, err := b.ReadMessage()
				require.NoError(t, err)
				require.Equal(t, len(want), len(got))
				require.Equal(t, want, string(got))
			}
			require.NoError(t, <-done)
		})
	}
}

func TestStreamConnReadLimit(t *testing.T) {
	t.Parallel()
	a, b := streamPair(t, "socket", nil)
	b.SetReadLimit(16)
	done := send(a, []string{"short", strings.Repeat("x", 17)})
	got, err := b.ReadMessage()
	require.NoError(t, err)
	require.Equal(t, "short", string(got))
	_, err = b.ReadMessage()
	require.ErrorIs(t, err, transport.ErrFrameTooLarge)
	_, err = b.ReadMessage()
	require.ErrorIs(t, err, transport.ErrFrameTooLarge, "a read error ends the connection")
	require.NoError(t, <-done)
}

func TestStreamConnPeerCloseIsEOF(t *testing.T) {
	t.Parallel()
	for carrier := range carriers {
		t.Run(carrier, func(t *testing.T) {
			t.Parallel()
			a, b := streamPair(t, carrier, nil)
			require.NoError(t, a.Close())
			for range 2 {
				_, err := b.ReadMessage()
				require.Equal(t, io.EOF, err)
			}
		})
	}
}

func TestStreamConnCloseUnblocksRead(t *testing.T) {
	t.Parallel()
	for carrier := range carriers {
		t.Run(carrier, func(t *testing.T) {
			t.Parallel()
			_, b := streamPair(t, carrier, nil)
			done := make(chan error, 1)
			go func() {
				_, err := b.ReadMessage()
				done <- err
			}()
			require.NoError(t, b.Close())
			require.ErrorIs(t, <-done, net.ErrClosed)
		})
	}
}

func TestStreamConnCloseUnblocksFlush(t *testing.T) {
	t.Parallel()
	// Nobody reads the other end of the pipe, so Flush blocks.
	a, _ := streamPair(t, "pipe", nil)
	require.NoError(t, a.WriteMessage([]byte("stuck")))
	done := make(chan error, 1)
	go func() { done <- a.Flush() }()
	require.NoError(t, a.Close())
	require.ErrorIs(t, <-done, net.ErrClosed)
}

func TestStreamConnAfterClose(t *testing.T) {
	t.Parallel()
	a, _ := streamPair(t, "socket", nil)
	require.NoError(t, a.Close())
	require.NoError(t, a.Close(), "Close is idempotent")
	_, err := a.ReadMessage()
	require.ErrorIs(t, err, net.ErrClosed)
	require.ErrorIs(t, a.WriteMessage([]byte("x")), net.ErrClosed)
	require.ErrorIs(t, a.Flush(), net.ErrClosed)
}

func TestStreamConnDefaultsToLengthPrefixed(t *testing.T) {
	t.Parallel()
	a, b := socketPair(t)
	c := transport.NewStreamConn(a, nil)
	defer c.Close()
	require.NoError(t, c.WriteMessage([]byte("hi")))
	require.NoError(t, c.Flush())
	got := make([]byte, 6)
	_, err := io.ReadFull(b, got)
	require.NoError(t, err)
	assert.Equal(t, "\x00\x00\x00\x02hi", string(got))
}
