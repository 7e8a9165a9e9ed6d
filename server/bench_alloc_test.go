package server_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"net"
	"sync/atomic"
	"testing"

	"github.com/sockipc/sockipc/codec"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
)

// The benchmarks of this file show what the library allocates per message
// on each side, beside what the codec alone allocates for the same value:
//
//	go test -run '^$' -bench 'Path' -benchmem ./server

// BenchmarkPublishPath measures a client's publish alone: the server reads
// the messages but nobody subscribes, so nothing is decoded.
func BenchmarkPublishPath(b *testing.B) {
	b.Run("codec", func(b *testing.B) {
		a := codec.MsgPack.(codec.Appender)
		buf := make([]byte, 0, 256)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			s := newSample(i)
			buf, _ = a.AppendMarshal(buf[:0], &s)
		}
	})
	b.Run("publish", func(b *testing.B) {
		_, path := h.Server(b)
		cl := h.Client(b, path, nil)
		ctx := context.Background()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if err := topic.Publish(ctx, cl, samples, newSample(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkReceivePath measures the server's side of a publish alone: a
// raw socket writes ready-made frames, and the server reads, dispatches
// and decodes each into a typed handler's value.
func BenchmarkReceivePath(b *testing.B) {
	body := func(i int) []byte {
		payload, _ := codec.MsgPack.Marshal(newSample(i))
		e, _ := wire.Native.Append(nil, &wire.Envelope{Kind: wire.KindPublish, Topic: samples.Name(), Payload: payload})
		return e
	}
	b.Run("codec", func(b *testing.B) {
		payload, _ := codec.MsgPack.Marshal(newSample(1))
		b.ReportAllocs()
		for b.Loop() {
			var s sample
			if err := codec.MsgPack.Unmarshal(payload, &s); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("receive", func(b *testing.B) {
		srv, path := h.Server(b)
		var got atomic.Int64
		done := make(chan struct{})
		n := int64(b.N)
		if _, err := topic.Subscribe(srv, samples, func(ctx context.Context, s sample, _ topic.Peer) {
			if got.Add(1) == n {
				close(done)
			}
		}); err != nil {
			b.Fatal(err)
		}
		conn, err := net.Dial("unix", path)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close()
		w := bufio.NewWriterSize(conn, 64<<10)
		writeFrame := func(p []byte) {
			var hdr [4]byte
			binary.BigEndian.PutUint32(hdr[:], uint32(len(p)))
			w.Write(hdr[:])
			w.Write(p)
		}
		hello := wire.AppendHello(nil, &wire.Hello{Version: wire.Version, Codec: "msgpack"})
		e, _ := wire.Native.Append(nil, &wire.Envelope{Kind: wire.KindHello, Payload: hello})
		writeFrame(e)
		w.Flush()
		if _, err := bufio.NewReader(conn).Peek(4); err != nil { // the Welcome
			b.Fatal(err)
		}
		frame := binary.BigEndian.AppendUint32(nil, uint32(len(body(1))))
		frame = append(frame, body(1)...)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			w.Write(frame) // the writer allocates nothing
		}
		w.Flush()
		<-done
	})
}
