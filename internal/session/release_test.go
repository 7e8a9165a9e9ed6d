package session

import (
	"context"
	"net"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/codec"
	"github.com/sockipc/sockipc/internal/dispatch"
	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport"
)

// socketPair returns the two ends of a connected unix socket.
func socketPair(t *testing.T) (net.Conn, net.Conn) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	require.NoError(t, err)
	var conns [2]net.Conn
	for i, fd := range fds {
		f := os.NewFile(uintptr(fd), "socketpair")
		c, err := net.FileConn(f)
		f.Close()
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		conns[i] = c
	}
	return conns[0], conns[1]
}

// setWatchTick sets the watchdog's tick for the watchdogs started until
// the test ends.
func setWatchTick(t *testing.T, d time.Duration) {
	watchdog.mu.Lock()
	old := watchTick
	watchTick = d
	watchdog.mu.Unlock()
	t.Cleanup(func() {
		watchdog.mu.Lock()
		watchTick = old
		watchdog.mu.Unlock()
	})
}

// peer is the other end of a session, speaking envelopes by hand.
type peer struct {
	t    *testing.T
	conn transport.Conn
	dec  wire.Decoder
}

func (p *peer) send(es ...wire.Envelope) {
	for i := range es {
		b, err := wire.Native.Append(nil, &es[i])
		require.NoError(p.t, err)
		require.NoError(p.t, p.conn.WriteMessage(b))
	}
	require.NoError(p.t, p.conn.Flush())
}

func (p *peer) recv() wire.Envelope {
	b, err := p.conn.ReadMessage()
	require.NoError(p.t, err)
	var e wire.Envelope
	require.NoError(p.t, p.dec.Decode(b, &e))
	return e
}

func recv[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitLong):
		t.Fatal("timed out")
		panic("unreachable")
	}
}

// A caller reading its own answer does not wait for a handler slot when it
// finds a call while all slots are taken: the call waits on a worker, and
// the caller gets its answer.
func TestCallerReadingDoesNotWaitForAHandlerSlot(t *testing.T) {
	// A slow watchdog, so that the caller, not a reader it starts, takes
	// the role the handler's reader releases.
	setWatchTick(t, 200*time.Millisecond)

	started, release := make(chan uint64, 2), make(chan struct{})
	reg := dispatch.New(dispatch.Options{Codec: codec.MsgPack})
	t.Cleanup(reg.Close)
	_, err := reg.Handle("p", func(ctx context.Context, m topic.RawMessage, _ topic.Peer) ([]byte, error) {
		started <- 0
		<-release
		return nil, nil
	})
	require.NoError(t, err)

	a, b := socketPair(t)
	s := New(Config{Conn: transport.NewStreamConn(a, nil), Format: wire.Native, Codec: codec.MsgPack,
		Local: reg, MaxHandlers: 1, Peer: topic.Peer{ID: "peer"}})
	s.Start()
	t.Cleanup(func() { s.Close(nil); <-s.Finished() })
	p := &peer{t: t, conn: transport.NewStreamConn(b, nil), dec: wire.Native.NewDecoder()}
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free) // before the session's cleanup, if the test fails

	// The session's reader runs the first call itself, taking the only
	// slot, and releases its role meanwhile.
	p.send(wire.Envelope{Kind: wire.KindRequest, ID: 1, Topic: "p"})
	recv(t, started)

	called := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitLong)
		defer cancel()
		_, err := s.Call(ctx, "q", nil, nil)
		called <- err
	}()
	q := p.recv()
	require.Equal(t, wire.KindRequest, q.Kind)
	require.Equal(t, "q", q.Topic)
	// A second call, which finds no slot, then the caller's answer.
	p.send(wire.Envelope{Kind: wire.KindRequest, ID: 2, Topic: "p"},
		wire.Envelope{Kind: wire.KindReply, ID: q.ID})
	require.NoError(t, recv(t, called), "answered while the first call still runs")

	free()
	answered := map[uint64]wire.Kind{}
	for range 2 {
		e := p.recv()
		answered[e.ID] = e.Kind
	}
	require.Equal(t, map[uint64]wire.Kind{1: wire.KindReply, 2: wire.KindReply}, answered)
}
