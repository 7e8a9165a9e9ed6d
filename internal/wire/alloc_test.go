package wire

import (
	"testing"
)

// typicalPublish is the envelope the allocation tests and benchmarks use:
// a publish of a small msgpack payload, the most common message.
var typicalPublish = Envelope{
	Kind:    KindPublish,
	Topic:   "orders.created",
	Payload: []byte("\x83\xa2ID\xcd\x30\x39\xa4User\xa5alice\xa5Total\xcb\x40\x59\x00\x00\x00\x00\x00\x00"),
}

func TestNativeAppendDoesNotAllocate(t *testing.T) {
	e := typicalPublish
	e.From = "0f8b1a7e-9c3d-4e2a-8b5f-6a7c8d9e0f1a"
	buf := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(100, func() {
		var err error
		if buf, err = Native.Append(buf[:0], &e); err != nil {
			t.Fatal(err)
		}
	})
	equal(t, allocs, 0.0, "allocations per Append")
}

func TestNativeDecodeDoesNotAllocate(t *testing.T) {
	src := typicalPublish
	src.From = "0f8b1a7e-9c3d-4e2a-8b5f-6a7c8d9e0f1a"
	b, err := Native.Append(nil, &src)
	noErr(t, err, "Append")
	d := Native.NewDecoder()
	var e Envelope
	noErr(t, d.Decode(b, &e), "first Decode") // interns the strings
	allocs := testing.AllocsPerRun(100, func() {
		if err := d.Decode(b, &e); err != nil {
			t.Fatal(err)
		}
	})
	equal(t, allocs, 0.0, "allocations per Decode")
}

func BenchmarkNativeAppend(b *testing.B) {
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = Native.Append(buf[:0], &typicalPublish)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkNativeDecode(b *testing.B) {
	benchDecode(b, Native, &typicalPublish)
}

func BenchmarkNativeDecodeWithHeaders(b *testing.B) {
	e := typicalPublish
	e.Headers = map[string]string{"trace-id": "4bf92f3577b34da6a3ce929d0e0e4736"}
	benchDecode(b, Native, &e)
}

func BenchmarkNativeDecodeRequest(b *testing.B) {
	e := Envelope{Kind: KindRequest, ID: 123456, Topic: "math.add", Timeout: 1500000000, Payload: []byte{0x92, 1, 2}}
	benchDecode(b, Native, &e)
}

func BenchmarkNodeAppend(b *testing.B) {
	e := Envelope{Kind: KindPublish, Topic: "orders.created", Payload: []byte(`{"id":12345,"user":"alice","total":100}`)}
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = Node.Append(buf[:0], &e)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkNodeDecode(b *testing.B) {
	e := Envelope{Kind: KindPublish, Topic: "orders.created", Payload: []byte(`{"id":12345,"user":"alice","total":100}`)}
	benchDecode(b, Node, &e)
}

func BenchmarkDecodeHello(b *testing.B) {
	p := AppendHello(nil, &Hello{Version: 1, Codec: "msgpack", MaxSize: 8 << 20, Name: "worker-1", Subs: []string{"chat.hello", ""}})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeHello(p); err != nil {
			b.Fatal(err)
		}
	}
}

// benchDecode measures decoding e, encoded in format f, over and over with
// one decoder, as a connection does.
func benchDecode(b *testing.B, f Format, e *Envelope) {
	msg, err := f.Append(nil, e)
	if err != nil {
		b.Fatal(err)
	}
	d := f.NewDecoder()
	var got Envelope
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if err := d.Decode(msg, &got); err != nil {
			b.Fatal(err)
		}
	}
}
