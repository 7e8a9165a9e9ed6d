package transport_test

import (
	"io"
	"testing"

	"github.com/sockipc/sockipc/transport"
)

const benchSize = 64

// BenchmarkRawSocketRoundTrip is the baseline: the same bytes as
// BenchmarkLengthPrefixedRoundTrip, written and read on the bare socket.
func BenchmarkRawSocketRoundTrip(b *testing.B) {
	w, r := socketPair(b)
	frame := prefixed(string(make([]byte, benchSize)))
	buf := make([]byte, len(frame))
	b.ReportAllocs()
	b.SetBytes(benchSize)
	for b.Loop() {
		if _, err := w.Write(frame); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(r, buf); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLengthPrefixedRoundTrip(b *testing.B) {
	a, c := socketPair(b)
	w, r := transport.NewStreamConn(a, nil), transport.NewStreamConn(c, nil)
	msg := make([]byte, benchSize)
	b.ReportAllocs()
	b.SetBytes(benchSize)
	for b.Loop() {
		if err := w.WriteMessage(msg); err != nil {
			b.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
		if _, err := r.ReadMessage(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLengthPrefixedBatch writes 100 messages per Flush, as a busy
// writer does.
func BenchmarkLengthPrefixedBatch(b *testing.B) {
	const batch = 100
	a, c := socketPair(b)
	w, r := transport.NewStreamConn(a, nil), transport.NewStreamConn(c, nil)
	msg := make([]byte, benchSize)
	b.ReportAllocs()
	b.SetBytes(benchSize * batch)
	for b.Loop() {
		for range batch {
			if err := w.WriteMessage(msg); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
		for range batch {
			if _, err := r.ReadMessage(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkLengthPrefixedRead(b *testing.B) {
	benchmarkRead(b, transport.LengthPrefixed, prefixed(string(make([]byte, benchSize))))
}

func BenchmarkDelimitedRead(b *testing.B) {
	msg := make([]byte, benchSize)
	for i := range msg {
		msg[i] = 'x'
	}
	benchmarkRead(b, nodeFraming, append(msg, transport.NodeDelimiter...))
}

// benchmarkRead reads frames from an endless in-memory repetition of frame.
func benchmarkRead(b *testing.B, f transport.Framing, frame []byte) {
	r := f.NewReader(&repeatReader{frame: frame})
	b.ReportAllocs()
	b.SetBytes(benchSize)
	for b.Loop() {
		if _, err := r.ReadFrame(); err != nil {
			b.Fatal(err)
		}
	}
}

// repeatReader repeats frame forever, filling every read.
type repeatReader struct {
	frame []byte
	off   int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.frame[r.off:])
		n += c
		r.off = (r.off + c) % len(r.frame)
	}
	return n, nil
}
