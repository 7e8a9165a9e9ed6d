package transport_test

import (
	"bytes"
	"errors"
	"testing"
	"testing/iotest"

	"github.com/sockipc/sockipc/transport"
)

// fuzzFraming reads data to the end with f, whole and one byte at a time,
// and checks that both agree, that no message exceeds the limit, and that
// the messages written back with f give the start of data.
func fuzzFraming(t *testing.T, f transport.Framing, data []byte, limit uint16) {
	read := func(r transport.FrameReader) ([]string, error) {
		if limit > 0 {
			r.SetReadLimit(int(limit))
		}
		msgs, err := readAll(r)
		if !isEnd(err) {
			t.Fatalf("unexpected error: %v", err)
		}
		return msgs, err
	}
	msgs, err := read(f.NewReader(bytes.NewReader(data)))
	slow, slowErr := read(f.NewReader(iotest.OneByteReader(bytes.NewReader(data))))
	if len(msgs) != len(slow) || endKind(err) != endKind(slowErr) {
		t.Fatalf("whole: %d messages, %v; one byte at a time: %d messages, %v",
			len(msgs), err, len(slow), slowErr)
	}
	max := int(limit)
	if limit == 0 {
		max = transport.DefaultMaxMessageSize
	}
	var back bytes.Buffer
	w := f.NewWriter(&back)
	for i, m := range msgs {
		if len(m) > max {
			t.Fatalf("message %d is %d bytes, over the limit of %d", i, len(m), max)
		}
		if m != slow[i] {
			t.Fatalf("message %d: whole %q, one byte at a time %q", i, m, slow[i])
		}
		if err := w.WriteFrame([]byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, back.Bytes()) {
		t.Fatalf("messages do not re-encode to the input")
	}
}

func FuzzLengthPrefixedReader(f *testing.F) {
	f.Add(prefixed("hello", "world"), uint16(0))
	f.Add(prefixed("", "x", ""), uint16(1))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff}, uint16(0))
	f.Fuzz(func(t *testing.T, data []byte, limit uint16) {
		fuzzFraming(t, transport.LengthPrefixed, data, limit)
	})
}

func FuzzDelimitedReader(f *testing.F) {
	f.Add([]byte("{\"a\":1}\x00\x00{\"b\":2}\x00\x00"), uint16(0))
	f.Add([]byte("\x00\x00\x00a\x00"), uint16(2))
	f.Fuzz(func(t *testing.T, data []byte, limit uint16) {
		fuzzFraming(t, nodeFraming, data, limit)
	})
}

// endKind classifies the error that ends a stream; its text may differ
// with how much data had arrived.
func endKind(err error) string {
	if errors.Is(err, transport.ErrFrameTooLarge) {
		return "too large"
	}
	return err.Error()
}
