package server_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"io"
	"net"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/topic"
)

// The benchmarks of this file compare the library with a hand-written
// baseline doing the same work over a bare unix socket: 4-byte length
// frames, 64 KiB buffers, a reused msgpack encoder and decoder. Run them
// in one binary so the ratios come from the same machine state:
//
//	go test -run '^$' -bench . -benchmem ./server

// rawConn is one end of the baseline: framed msgpack over a unix socket.
type rawConn struct {
	c   net.Conn
	r   *bufio.Reader
	w   *bufio.Writer
	buf []byte
}

func newRawConn(c net.Conn) *rawConn {
	return &rawConn{c: c, r: bufio.NewReaderSize(c, 64<<10), w: bufio.NewWriterSize(c, 64<<10)}
}

func (rc *rawConn) write(v any) error {
	b, err := msgpack.Marshal(v)
	if err != nil {
		return err
	}
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(b)))
	rc.w.Write(hdr[:])
	rc.w.Write(b)
	return nil
}

func (rc *rawConn) read(v any) error {
	var hdr [4]byte
	if _, err := io.ReadFull(rc.r, hdr[:]); err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if cap(rc.buf) < int(n) {
		rc.buf = make([]byte, n)
	}
	rc.buf = rc.buf[:n]
	if _, err := io.ReadFull(rc.r, rc.buf); err != nil {
		return err
	}
	return msgpack.Unmarshal(rc.buf, v)
}

// rawPair returns both ends of a unix socket connection and a function
// that closes them.
func rawPair(b *testing.B) (*rawConn, *rawConn) {
	path := testutil.SocketPath(b)
	ln, err := net.Listen("unix", path)
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	c1, err := net.Dial("unix", path)
	if err != nil {
		b.Fatal(err)
	}
	c2 := <-accepted
	b.Cleanup(func() { c1.Close(); c2.Close() })
	return newRawConn(c1), newRawConn(c2)
}

// BenchmarkRawPingPong is the baseline of BenchmarkCall: a request and its
// reply, one at a time.
func BenchmarkRawPingPong(b *testing.B) {
	caller, callee := rawPair(b)
	done := make(chan struct{})
	go func() {
		defer close(done)
		var a h.AddArgs
		for callee.read(&a) == nil {
			callee.write(a.A + a.B)
			callee.w.Flush()
		}
	}()
	b.ReportAllocs()
	var sum int
	for i := 0; b.Loop(); i++ {
		caller.write(h.AddArgs{A: i, B: 1})
		caller.w.Flush()
		if err := caller.read(&sum); err != nil || sum != i+1 {
			b.Fatal(err, sum)
		}
	}
	caller.c.Close()
	<-done
}

func benchCallSetup(b *testing.B) *client.Client {
	srv, path := h.Server(b)
	_, err := topic.Handle(srv, h.Add, func(ctx context.Context, a h.AddArgs, _ topic.Peer) (int, error) {
		return a.A + a.B, nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return h.Client(b, path, nil)
}

// BenchmarkCall is the latency of one call at a time.
func BenchmarkCall(b *testing.B) {
	cl := benchCallSetup(b)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sum, err := topic.Call(ctx, cl, h.Add, h.AddArgs{A: i, B: 1})
		if err != nil || sum != i+1 {
			b.Fatal(err, sum)
		}
	}
}

// BenchmarkCallCancelable is BenchmarkCall with a context that can end,
// as most callers' contexts can.
func BenchmarkCallCancelable(b *testing.B) {
	cl := benchCallSetup(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sum, err := topic.Call(ctx, cl, h.Add, h.AddArgs{A: i, B: 1})
		if err != nil || sum != i+1 {
			b.Fatal(err, sum)
		}
	}
}

// BenchmarkCallConcurrent32 is the throughput of 32 callers sharing one
// connection (ns/op is per call).
func BenchmarkCallConcurrent32(b *testing.B) {
	cl := benchCallSetup(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.SetParallelism(32 / max(1, runtimeProcs()))
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			sum, err := topic.Call(ctx, cl, h.Add, h.AddArgs{A: i, B: 1})
			if err != nil || sum != i+1 {
				b.Error(err, sum)
				return
			}
		}
	})
}
