package nats_test

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport"
)

// frame returns message i of a test: its number, then i%300 bytes of
// filler, so that sizes vary.
func frame(i int) []byte {
	p := binary.BigEndian.AppendUint32(nil, uint32(i))
	return append(p, bytes.Repeat([]byte{byte(i)}, i%300)...)
}

func TestFramesArriveInOrderBothWays(t *testing.T) {
	const n = 5000
	srv, cl := pair(t, newTransport(t), newTransport(t))
	var wg sync.WaitGroup
	for _, dir := range []struct{ from, to transport.Conn }{{cl, srv}, {srv, cl}} {
		wg.Go(func() {
			for i := range n {
				if err := dir.from.WriteMessage(frame(i)); err != nil {
					t.Error(err)
					return
				}
			}
			assert.NoError(t, dir.from.Flush())
		})
		wg.Go(func() {
			for i := range n {
				p, err := dir.to.ReadMessage()
				if !assert.NoError(t, err) || !assert.Equal(t, frame(i), p, "message %d", i) {
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestEmptyFrame(t *testing.T) {
	srv, cl := pair(t, newTransport(t), newTransport(t))
	write(t, cl, []byte{}, []byte("x"))
	assert.Empty(t, read(t, srv))
	assert.Equal(t, []byte("x"), read(t, srv))
}

// The peer of a side that closes reads everything sent before, then EOF,
// and can no longer write.
func TestCloseIsEOFForThePeerAfterEverything(t *testing.T) {
	srv, cl := pair(t, newTransport(t), newTransport(t))
	write(t, cl, []byte("a"), []byte("b"), []byte("c"))
	require.NoError(t, cl.Close())
	for _, want := range []string{"a", "b", "c"} {
		require.Equal(t, want, string(read(t, srv)))
	}
	err := readErr(t, srv)
	require.ErrorIs(t, err, io.EOF)
	require.ErrorIs(t, srv.WriteMessage([]byte("late")), io.EOF)
	require.ErrorIs(t, srv.Flush(), io.EOF)
}

// Close unblocks a pending read; afterwards every method fails with
// net.ErrClosed. Close may be called more than once.
func TestCloseUnblocksReadAndIsFinal(t *testing.T) {
	srv, cl := pair(t, newTransport(t), newTransport(t))
	failed := make(chan error, 1)
	go func() {
		_, err := cl.ReadMessage()
		failed <- err
	}()
	require.NoError(t, cl.Close())
	require.NoError(t, cl.Close())
	select {
	case err := <-failed:
		require.ErrorIs(t, err, net.ErrClosed)
	case <-ctx(t).Done():
		t.Fatal("read not unblocked")
	}
	_, err := cl.ReadMessage()
	require.ErrorIs(t, err, net.ErrClosed)
	require.ErrorIs(t, cl.WriteMessage([]byte("x")), net.ErrClosed)
	require.ErrorIs(t, cl.Flush(), net.ErrClosed)
	require.ErrorIs(t, readErr(t, srv), io.EOF)
}

// A frame above the read limit ends the connection with ErrFrameTooLarge,
// after the frames before it.
func TestReadLimit(t *testing.T) {
	srv, cl := pair(t, newTransport(t), newTransport(t))
	srv.SetReadLimit(100)
	write(t, cl, make([]byte, 100), make([]byte, 101), []byte("never"))
	require.Len(t, read(t, srv), 100)
	require.ErrorIs(t, readErr(t, srv), transport.ErrFrameTooLarge)
	// The peer is told.
	require.ErrorIs(t, readErr(t, cl), io.EOF)
}
