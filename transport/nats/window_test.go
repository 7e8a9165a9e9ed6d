package nats

import (
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nuid"
	"github.com/stretchr/testify/require"
)

// linkPair connects two links through a listener, on transports made with
// opts for the listening side.
func linkPair(t *testing.T, opts ...Option) (srv, cl *link) {
	t.Helper()
	lt, err := New(append([]Option{WithURL(testURL)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { lt.Close() })
	dt, err := New(WithURL(testURL))
	require.NoError(t, err)
	t.Cleanup(func() { dt.Close() })
	ln, err := lt.Listen("internal." + nuid.Next())
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	c, err := dt.Dial(t.Context(), ln.Addr())
	require.NoError(t, err)
	s, err := ln.Accept()
	require.NoError(t, err)
	t.Cleanup(func() { c.Close(); s.Close() })
	return s.(*link), c.(*link)
}

func mustRead(t *testing.T, l *link) string {
	t.Helper()
	p, err := l.ReadMessage()
	require.NoError(t, err)
	return string(p)
}

// A writer whose peer does not read waits once the peer's window is full,
// asks the peer for an acknowledgement, and goes on as soon as the reader
// takes a frame.
func TestWriterWaitsForSlowReader(t *testing.T) {
	srv, cl := linkPair(t, WithWindow(4, 1<<20))
	for i := range 4 {
		require.NoError(t, cl.WriteMessage([]byte(fmt.Sprint(i))))
	}
	written := make(chan error, 1)
	go func() { written <- cl.WriteMessage([]byte("4")) }()
	require.Eventually(t, func() bool {
		cl.mu.Lock()
		defer cl.mu.Unlock()
		return cl.probing
	}, 10*time.Second, time.Millisecond, "the writer waits for window")
	require.Empty(t, written)

	require.Equal(t, "0", mustRead(t, srv))
	require.NoError(t, <-written)
	for i := 1; i <= 4; i++ {
		require.Equal(t, fmt.Sprint(i), mustRead(t, srv))
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	require.LessOrEqual(t, len(srv.queue)-srv.qhead, 4, "the receiver never held more than its window")
}

// The same with a window in bytes: frames of 400 bytes in a 1000-byte
// window, two at a time.
func TestWindowInBytes(t *testing.T) {
	srv, cl := linkPair(t, WithWindow(1000, 1000))
	big := make([]byte, 400)
	require.NoError(t, cl.WriteMessage(big))
	require.NoError(t, cl.WriteMessage(big))
	written := make(chan error, 1)
	go func() { written <- cl.WriteMessage(big) }()
	require.Eventually(t, func() bool {
		cl.mu.Lock()
		defer cl.mu.Unlock()
		return cl.probing
	}, 10*time.Second, time.Millisecond)
	mustRead(t, srv)
	require.NoError(t, <-written)
	// A frame larger than the whole window goes when nothing is
	// outstanding.
	mustRead(t, srv)
	mustRead(t, srv)
	require.NoError(t, cl.WriteMessage(make([]byte, 5000)))
	require.Len(t, mustRead(t, srv), 5000)
}

// vanish makes the next frame of l disappear on its way, as a frame does
// when a NATS connection breaks; l keeps it, as it keeps every frame.
func vanish(l *link, p []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	msg := appendData(nil, l.nextSeq, l.lastAck, p)
	l.nextSeq++
	l.retained = append(l.retained, msg)
	l.retBytes += len(msg)
}

// A receiver that sees a gap asks for the missing frames, and gets every
// frame once, in order.
func TestLostFramesAreSentAgain(t *testing.T) {
	srv, cl := linkPair(t)
	require.NoError(t, cl.WriteMessage([]byte("a")))
	vanish(cl, []byte("b"))
	vanish(cl, []byte("c"))
	require.NoError(t, cl.WriteMessage([]byte("d")))
	for _, want := range []string{"a", "b", "c", "d"} {
		require.Equal(t, want, mustRead(t, srv))
	}
}

// Frames sent twice are read once.
func TestDuplicatesAreDropped(t *testing.T) {
	srv, cl := linkPair(t)
	require.NoError(t, cl.WriteMessage([]byte("a")))
	require.NoError(t, cl.WriteMessage([]byte("b")))
	require.Equal(t, "a", mustRead(t, srv))
	require.NoError(t, cl.resend(0))
	require.NoError(t, cl.WriteMessage([]byte("c")))
	require.Equal(t, "b", mustRead(t, srv))
	require.Equal(t, "c", mustRead(t, srv))
}

// A close notice that says more frames were sent than arrived ends the
// reader with ErrFramesLost, not io.EOF.
func TestCloseWithFramesMissing(t *testing.T) {
	srv, cl := linkPair(t)
	require.NoError(t, cl.WriteMessage([]byte("a")))
	vanish(cl, []byte("b"))
	require.NoError(t, cl.Close())
	require.Equal(t, "a", mustRead(t, srv))
	_, err := srv.ReadMessage()
	require.ErrorIs(t, err, ErrFramesLost)
}
