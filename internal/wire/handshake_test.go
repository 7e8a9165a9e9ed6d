package wire

import (
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vmihailenco/msgpack/v5"
)

func TestHelloRoundTrip(t *testing.T) {
	tests := map[string]Hello{
		"zero":    {},
		"full":    {Version: 1, Codec: "msgpack", MaxSize: 8 << 20, Name: "worker-1", Subs: []string{"chat.hello", ""}},
		"big":     {Version: math.MaxInt32, MaxSize: math.MaxInt, Subs: []string{strings.Repeat("s", 300)}},
		"16 subs": {Subs: strings.Split("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p", ",")},
	}
	for name, h := range tests {
		t.Run(name, func(t *testing.T) {
			b := AppendHello(nil, &h)
			got, err := DecodeHello(b)
			noErr(t, err, "DecodeHello")
			equal(t, got, h, "hello")

			var m map[string]any // the bytes are msgpack that any library reads
			noErr(t, msgpack.Unmarshal(b, &m), "msgpack.Unmarshal")
			equal(t, len(m), 5, "number of keys")
			equal(t, m["codec"], any(h.Codec), "codec")
			equal(t, m["name"], any(h.Name), "name")
		})
	}
}

func TestHelloEncoding(t *testing.T) {
	h := Hello{Version: 1, Codec: "msgpack", MaxSize: 8388608, Name: "w", Subs: []string{"a", ""}}
	want := cat(
		[]byte{0x85},
		[]byte("\xa7version\x01"),
		[]byte("\xa5codec\xa7msgpack"),
		[]byte("\xa3max\xce\x00\x80\x00\x00"),
		[]byte("\xa4name\xa1w"),
		[]byte("\xa4subs\x92\xa1a\xa0"),
	)
	equal(t, AppendHello(nil, &h), want, "encoding")
}

func TestWelcomeRoundTrip(t *testing.T) {
	tests := map[string]Welcome{
		"zero": {},
		"full": {Version: 1, ClientID: "0f8b1a7e-9c3d-4e2a-8b5f-6a7c8d9e0f1a", MaxSize: 8 << 20, Ping: 30 * time.Second},
		"max":  {Ping: math.MaxInt64},
	}
	for name, w := range tests {
		t.Run(name, func(t *testing.T) {
			b := AppendWelcome(nil, &w)
			got, err := DecodeWelcome(b)
			noErr(t, err, "DecodeWelcome")
			equal(t, got, w, "welcome")
			var m map[string]any
			noErr(t, msgpack.Unmarshal(b, &m), "msgpack.Unmarshal")
			equal(t, m["id"], any(w.ClientID), "id")
		})
	}
}

func TestStatusRoundTrip(t *testing.T) {
	for _, s := range []Status{{}, {Code: CodeVersion, Message: "protocol version 2 is not supported"}, {Code: "app.x", Message: strings.Repeat("m", 70000)}} {
		b := AppendStatus(nil, &s)
		got, err := DecodeStatus(b)
		noErr(t, err, "DecodeStatus")
		equal(t, got, s, "status")
		var m map[string]string
		noErr(t, msgpack.Unmarshal(b, &m), "msgpack.Unmarshal")
		equal(t, m, map[string]string{"code": s.Code, "message": s.Message}, "as a map")
	}
}

func TestHandshakeForwardCompatible(t *testing.T) {
	// A later version may add keys of any type, send keys in any order,
	// leave keys out, send nil and use wider integer forms.
	b, err := msgpack.Marshal(map[string]any{
		"subs":    []string{"x"},
		"future":  map[string]any{"nested": []any{1, "a", nil, 2.5}},
		"version": uint64(2),
		"max":     nil,
		"codec":   "json",
		"when":    time.Unix(1, 2),
	})
	noErr(t, err, "Marshal")
	h, err := DecodeHello(b)
	noErr(t, err, "DecodeHello")
	equal(t, h, Hello{Version: 2, Codec: "json", Subs: []string{"x"}}, "hello")

	b, err = msgpack.Marshal(map[string]any{"ping": int64(5), "id": "abc", "extra": true})
	noErr(t, err, "Marshal")
	w, err := DecodeWelcome(b)
	noErr(t, err, "DecodeWelcome")
	equal(t, w, Welcome{ClientID: "abc", Ping: 5}, "welcome")

	s, err := DecodeStatus([]byte("\x83\xa4code\xa1a\xa4code\xa1b\xa1x\xc0")) // repeated key: last wins
	noErr(t, err, "DecodeStatus")
	equal(t, s, Status{Code: "b"}, "status")
}

func TestHandshakeDecodeRejects(t *testing.T) {
	decoders := map[string]func([]byte) error{
		"hello":   func(b []byte) error { _, err := DecodeHello(b); return err },
		"welcome": func(b []byte) error { _, err := DecodeWelcome(b); return err },
		"status":  func(b []byte) error { _, err := DecodeStatus(b); return err },
	}
	common := map[string][]byte{
		"empty":            {},
		"not a map":        {0x90},
		"nil":              {mpNil},
		"int key":          {0x81, 0x01, 0x01},
		"truncated":        {0x82, 0xa4, 'c', 'o', 'd', 'e'},
		"trailing bytes":   {0x80, 0x00},
		"huge count":       {mpMap32, 0xff, 0xff, 0xff, 0xff, 0xa0, 0xc0},
		"bad unknown":      {0x81, 0xa1, 'z', 0xc1},
		"unknown too deep": cat([]byte{0x81, 0xa1, 'z'}, []byte(strings.Repeat("\x91", maxDepth+1)), []byte{1}),
	}
	for dname, decode := range decoders {
		for name, b := range common {
			t.Run(dname+"/"+name, func(t *testing.T) { isErr(t, decode(b), ErrMalformed, "decode") })
		}
	}
	specific := map[string]struct {
		decode string
		b      []byte
	}{
		"negative version":   {"hello", []byte("\x81\xa7version\xff")},
		"version string":     {"hello", []byte("\x81\xa7version\xa11")},
		"max above MaxInt64": {"hello", []byte("\x81\xa3max\xcf\xff\xff\xff\xff\xff\xff\xff\xff")},
		"codec int":          {"hello", []byte("\x81\xa5codec\x01")},
		"name not UTF-8":     {"hello", []byte("\x81\xa4name\xa1\xff")},
		"subs string":        {"hello", []byte("\x81\xa4subs\xa1a")},
		"subs int element":   {"hello", []byte("\x81\xa4subs\x91\x01")},
		"subs huge count":    {"hello", []byte("\x81\xa4subs\xdd\x10\x00\x00\x00\xa0")},
		"negative ping":      {"welcome", []byte("\x81\xa4ping\xd3\x80\x00\x00\x00\x00\x00\x00\x00")},
		"id bin":             {"welcome", []byte("\x81\xa2id\xc4\x01a")},
		"code array":         {"status", []byte("\x81\xa4code\x90")},
		"message not UTF-8":  {"status", []byte("\x81\xa7message\xa2\xc3\x28")},
	}
	for name, tt := range specific {
		t.Run(name, func(t *testing.T) { isErr(t, decoders[tt.decode](tt.b), ErrMalformed, "decode") })
	}
}

func TestDecodeHelloDoesNotTrustCounts(t *testing.T) {
	// Subscriptions that the bytes could hold are read, however many; a
	// count announcing more than the bytes can hold fails before anything
	// is allocated for them.
	many := cat([]byte("\x81\xa4subs\xdd\x00\x01\x00\x00"), []byte(strings.Repeat("\xa0", 1<<16)))
	h, err := DecodeHello(many)
	noErr(t, err, "DecodeHello")
	equal(t, len(h.Subs), 1<<16, "number of subscriptions")

	hostile := []byte("\x81\xa4subs\xdd\x00\xff\xff\xff\xa0\xa0")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = DecodeHello(hostile)
	runtime.ReadMemStats(&after)
	isErr(t, err, ErrMalformed, "DecodeHello")
	// Trusting the count would allocate 256 MiB; allow for the noise of
	// whatever else runs meanwhile.
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Fatalf("%d bytes allocated for a hello with a hostile count", n)
	}
}
