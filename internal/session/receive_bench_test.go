package session

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"sync/atomic"
	"testing"

	"github.com/sockipc/sockipc/codec"
	"github.com/sockipc/sockipc/internal/dispatch"
	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport"
)

// BenchmarkReceive is the library's own cost of a published message on the
// receiving side, without a socket and without decoding the payload: a
// session reads length-prefixed Publish frames from memory, and its
// subscription's handler counts them. BenchmarkReceive/frames reads the
// same frames with the transport alone, the part any receiver pays.
//
//	go test -run '^$' -bench Receive -benchmem ./internal/session
func BenchmarkReceive(b *testing.B) {
	payload, err := codec.MsgPack.Marshal(map[string]any{"ID": 1, "Name": "0123456789abcdef", "Vals": []float64{1, 2, 3, 4}})
	if err != nil {
		b.Fatal(err)
	}
	body, err := wire.Native.Append(nil, &wire.Envelope{Kind: wire.KindPublish, Topic: "bench.sample", Payload: payload})
	if err != nil {
		b.Fatal(err)
	}
	frame := append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...)

	b.Run("frames", func(b *testing.B) {
		r := transport.LengthPrefixed.NewReader(&framesReader{frame: frame, left: -1})
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.ReadFrame(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("session", func(b *testing.B) {
		reg := dispatch.New(dispatch.Options{Codec: codec.MsgPack, QueueLen: 1024})
		defer reg.Close()
		n := int64(b.N)
		var got atomic.Int64
		done := make(chan struct{})
		if _, _, err := reg.Subscribe("bench.sample", false, func(context.Context, topic.RawMessage, topic.Peer) error {
			if got.Add(1) == n {
				close(done)
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		conn := transport.NewStreamConn(&framesReader{frame: frame, left: b.N}, transport.LengthPrefixed)
		s := New(Config{Conn: conn, Format: wire.Native, Codec: codec.MsgPack, Local: reg, Peer: topic.Peer{ID: "bench"}})
		b.ReportAllocs()
		b.ResetTimer()
		err := s.Run()
		<-done
		b.StopTimer()
		if !errors.Is(err, io.EOF) && !errors.Is(err, topic.ErrConnectionLost) {
			b.Logf("session ended with %v", err)
		}
	})
}

// framesReader is a connection that reads frame over and over, left times
// (forever if left < 0), filling every read, then io.EOF. Writes are
// dropped.
type framesReader struct {
	frame []byte
	off   int
	left  int
}

func (r *framesReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && r.left != 0 {
		c := copy(p[n:], r.frame[r.off:])
		n += c
		r.off += c
		if r.off == len(r.frame) {
			r.off = 0
			if r.left > 0 {
				r.left--
			}
		}
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

func (r *framesReader) Write(p []byte) (int, error) { return len(p), nil }
func (r *framesReader) Close() error                { return nil }
