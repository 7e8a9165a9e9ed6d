package wire

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/vmihailenco/msgpack/v5"
)

// refEnvelope encodes e with the msgpack library, field by field, in the
// smallest forms: what Native.Append must produce. Headers must hold at
// most one entry, so that the order is fixed.
func refEnvelope(t testing.TB, e *Envelope) []byte {
	t.Helper()
	return ref(t, func(enc *msgpack.Encoder) error {
		steps := []func() error{
			func() error { return enc.EncodeArrayLen(7) },
			func() error { return enc.EncodeUint(uint64(e.Kind)) },
			func() error { return enc.EncodeUint(e.ID) },
			func() error { return enc.EncodeString(e.Topic) },
			func() error { return enc.EncodeString(e.From) },
			func() error { return enc.EncodeInt(int64(e.Timeout)) },
			func() error {
				if len(e.Headers) == 0 {
					return enc.EncodeNil()
				}
				return enc.Encode(e.Headers)
			},
			func() error {
				if len(e.Payload) == 0 {
					return enc.EncodeNil()
				}
				return enc.EncodeBytes(e.Payload)
			},
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
}

// envelopeCases are valid envelopes of every kind and of every size class.
var envelopeCases = map[string]Envelope{
	"hello":          {Kind: KindHello, Payload: []byte{0x80}},
	"publish":        {Kind: KindPublish, Topic: "chat.hello", Payload: []byte{0x81, 0xa4, 'T', 'e', 'x', 't', 0xa2, 'h', 'i'}},
	"relayed":        {Kind: KindPublish, Topic: "chat.hello", From: "0f8b1a7e-9c3d-4e2a-8b5f-6a7c8d9e0f1a", Payload: []byte{1}},
	"headers":        {Kind: KindPublish, Topic: "t", Headers: map[string]string{"trace": "abc"}, Payload: []byte{1}},
	"subscribe all":  {Kind: KindSubscribe, ID: 1},
	"request":        {Kind: KindRequest, ID: 7, Topic: "math.add", Timeout: 1500 * time.Millisecond, Payload: []byte{0x92, 1, 2}},
	"max id":         {Kind: KindReply, ID: math.MaxUint64, Payload: []byte{3}},
	"max timeout":    {Kind: KindRequest, ID: 1 << 32, Topic: "p", Timeout: math.MaxInt64},
	"unknown kind":   {Kind: 255},
	"goaway":         {Kind: KindGoAway},
	"topic 31":       {Kind: KindPublish, Topic: strings.Repeat("a", 31)},
	"topic 32":       {Kind: KindPublish, Topic: strings.Repeat("a", 32)},
	"topic 256":      {Kind: KindPublish, Topic: strings.Repeat("a", 256)},
	"topic 65536":    {Kind: KindPublish, Topic: strings.Repeat("a", 65536)},
	"unicode topic":  {Kind: KindPublish, Topic: "чат.привет", From: "\x00"},
	"payload 255":    {Kind: KindPublish, Payload: bytes.Repeat([]byte{9}, 255)},
	"payload 256":    {Kind: KindPublish, Payload: bytes.Repeat([]byte{9}, 256)},
	"payload 65536":  {Kind: KindPublish, Payload: bytes.Repeat([]byte{9}, 65536)},
	"header 16 keys": {Kind: KindRequest, Headers: sixteenHeaders()},
}

func sixteenHeaders() map[string]string {
	h := make(map[string]string)
	for i := range 16 {
		h[string(rune('a'+i))] = strings.Repeat("v", i)
	}
	return h
}

func TestNativeRoundTrip(t *testing.T) {
	for name, e := range envelopeCases {
		t.Run(name, func(t *testing.T) {
			b, err := Native.Append(nil, &e)
			noErr(t, err, "Append")
			if len(e.Headers) <= 1 {
				equal(t, b, refEnvelope(t, &e), "encoding")
			}
			var got Envelope
			noErr(t, Native.NewDecoder().Decode(b, &got), "Decode")
			equal(t, got, e, "decoded envelope")
		})
	}
}

func TestNativeIsValidMsgpack(t *testing.T) {
	for name, e := range envelopeCases {
		t.Run(name, func(t *testing.T) {
			b, err := Native.Append(nil, &e)
			noErr(t, err, "Append")
			checkWithLibrary(t, b, &e)
		})
	}
}

// checkWithLibrary decodes the native envelope b with the msgpack library,
// an independent decoder, and compares it with e.
func checkWithLibrary(t testing.TB, b []byte, e *Envelope) {
	t.Helper()
	var fields []any
	noErr(t, msgpack.Unmarshal(b, &fields), "msgpack.Unmarshal")
	equal(t, len(fields), 7, "number of fields")
	equal(t, toUint(t, fields[0]), uint64(e.Kind), "kind")
	equal(t, toUint(t, fields[1]), e.ID, "id")
	equal(t, fields[2], any(e.Topic), "topic")
	equal(t, fields[3], any(e.From), "from")
	equal(t, toUint(t, fields[4]), uint64(e.Timeout), "timeout")
	if e.Headers == nil {
		equal(t, fields[5], nil, "headers")
	} else {
		equal(t, len(fields[5].(map[string]any)), len(e.Headers), "number of headers")
		for k, v := range e.Headers {
			equal(t, fields[5].(map[string]any)[k], any(v), "header "+k)
		}
	}
	if e.Payload == nil {
		equal(t, fields[6], nil, "payload")
	} else {
		equal(t, fields[6], any(e.Payload), "payload")
	}
}

// toUint converts an integer the msgpack library decoded into an interface.
func toUint(t testing.TB, v any) uint64 {
	t.Helper()
	switch n := v.(type) {
	case int8:
		return uint64(n)
	case uint8:
		return uint64(n)
	case uint16:
		return uint64(n)
	case uint32:
		return uint64(n)
	case uint64:
		return n
	case int64:
		return uint64(n)
	}
	t.Fatalf("%T %v is not an unsigned integer", v, v)
	return 0
}

func TestNativeAppendKeepsDst(t *testing.T) {
	e := envelopeCases["publish"]
	dst := []byte("prefix")
	b, err := Native.Append(dst, &e)
	noErr(t, err, "Append")
	equal(t, string(b[:6]), "prefix", "prefix")
	equal(t, b[6:], refEnvelope(t, &e), "envelope after prefix")
}

func TestNativeAppendNormalizesEmpty(t *testing.T) {
	e := Envelope{Kind: KindPublish, Topic: "t", Headers: map[string]string{}, Payload: []byte{}}
	b, err := Native.Append(nil, &e)
	noErr(t, err, "Append")
	equal(t, b, []byte{0x97, 4, 0, 0xa1, 't', 0xa0, 0, mpNil, mpNil}, "encoding")
	var got Envelope
	noErr(t, Native.NewDecoder().Decode(b, &got), "Decode")
	equal(t, got, Envelope{Kind: KindPublish, Topic: "t"}, "decoded")
}

func TestNativeAppendRejects(t *testing.T) {
	tests := []struct {
		name string
		e    Envelope
		want error
	}{
		{"kind 0", Envelope{}, ErrUnsupportedKind},
		{"negative timeout", Envelope{Kind: KindRequest, Timeout: -1}, ErrMalformed},
		{"topic not UTF-8", Envelope{Kind: KindPublish, Topic: "\xff"}, ErrMalformed},
		{"from not UTF-8", Envelope{Kind: KindPublish, From: "a\xc3"}, ErrMalformed},
		{"header key not UTF-8", Envelope{Kind: KindPublish, Headers: map[string]string{"\xff": ""}}, ErrMalformed},
		{"header value not UTF-8", Envelope{Kind: KindPublish, Headers: map[string]string{"k": "\xff"}}, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := []byte{1, 2}
			b, err := Native.Append(dst, &tt.e)
			isErr(t, err, tt.want, "Append")
			equal(t, b, dst, "dst on error")
		})
	}
}

func TestNativeDecodePayloadAliasesInput(t *testing.T) {
	e := envelopeCases["publish"]
	b, err := Native.Append(nil, &e)
	noErr(t, err, "Append")
	var got Envelope
	noErr(t, Native.NewDecoder().Decode(b, &got), "Decode")
	if &got.Payload[0] != &b[len(b)-len(e.Payload)] {
		t.Fatal("Payload does not alias the input")
	}
	equal(t, cap(got.Payload), len(got.Payload), "Payload capacity")
}

func TestNativeDecoderInterns(t *testing.T) {
	e := envelopeCases["relayed"]
	b, err := Native.Append(nil, &e)
	noErr(t, err, "Append")
	d := Native.NewDecoder()
	var first, second Envelope
	noErr(t, d.Decode(b, &first), "Decode")
	noErr(t, d.Decode(bytes.Clone(b), &second), "Decode")
	if unsafe.StringData(first.Topic) != unsafe.StringData(second.Topic) ||
		unsafe.StringData(first.From) != unsafe.StringData(second.From) {
		t.Fatal("topic and from are not reused")
	}
	if unsafe.StringData(first.Topic) == unsafe.SliceData(b[3:]) {
		t.Fatal("topic aliases the input")
	}
}

func TestInternerBounds(t *testing.T) {
	var in interner
	for i := range internMaxEntries + 10 {
		s := strings.Repeat("x", i%7) + string(rune('a'+i%26)) + time.Duration(i).String()
		got, ok := in.intern([]byte(s))
		equal(t, ok, true, "ok")
		equal(t, got, s, "interned string")
	}
	equal(t, len(in.m), internMaxEntries, "entries")
	long := strings.Repeat("y", internMaxLen+1)
	got, _ := in.intern([]byte(long))
	equal(t, got, long, "long string")
	if _, kept := in.m[long]; kept {
		t.Fatal("a string over the length limit was kept")
	}
	if _, ok := in.intern([]byte{0xff}); ok {
		t.Fatal("invalid UTF-8 accepted")
	}
}

func TestNativeDecodeAcceptsAnyWidth(t *testing.T) {
	// Every element in a non-smallest form, then extra elements of every
	// kind that a later version might add.
	b := cat(
		[]byte{0x9c}, // fixarray of 12
		[]byte{mpUint64, 0, 0, 0, 0, 0, 0, 0, byte(KindRequest)}, // kind as uint64
		[]byte{mpInt32, 0, 0, 0, 7},                              // id as int32
		[]byte{mpStr16, 0, 8}, []byte("math.add"),
		[]byte{mpStr8, 3}, []byte("abc"),
		[]byte{mpInt64, 0, 0, 0, 0, 0x59, 0x68, 0x2f, 0x00},
		[]byte{mpMap16, 0, 1, mpStr32, 0, 0, 0, 1, 'k', mpStr8, 1, 'v'},
		[]byte{mpBin32, 0, 0, 0, 3, 0x92, 1, 2},
		[]byte{0x81, 0xa1, 'x', 0x92, mpFloat64, 0, 0, 0, 0, 0, 0, 0, 0, mpNil}, // map
		[]byte{mpExt8, 2, 9, 1, 2},                                              // ext
		[]byte{mpTrue},                                                          // bool
		[]byte{0xa1, 'z'},                                                       // str
		[]byte{mpFixExt1 + 2, 0xff, 0, 0, 0, 1},                                 // timestamp
	)
	var got Envelope
	noErr(t, Native.NewDecoder().Decode(b, &got), "Decode")
	equal(t, got, Envelope{
		Kind: KindRequest, ID: 7, Topic: "math.add", From: "abc", Timeout: 1500 * time.Millisecond,
		Headers: map[string]string{"k": "v"}, Payload: []byte{0x92, 1, 2},
	}, "envelope")
}

// TestNativeDecodeQuickPath checks that the envelopes encoders write in
// practice take the quick path, which must read them as the general path
// does, and that others are left to the general path.
func TestNativeDecodeQuickPath(t *testing.T) {
	long := bytes.Repeat([]byte{0xab}, 300)
	quick := []Envelope{
		{Kind: KindPublish, Topic: "bench.sample", Payload: []byte{0x81, 0xa1, 'a', 1}},
		{Kind: KindPublish, Topic: "t", From: "client-1", Payload: long},
		{Kind: KindPublish, Topic: "t"},
		{Kind: KindRequest, ID: 1, Topic: "math.add", Payload: []byte{0x92, 1, 2}},
		{Kind: KindRequest, ID: 200, Topic: "math.add", Timeout: 100, Payload: []byte{1}},
		{Kind: KindRequest, ID: 70000, Topic: "math.add", Timeout: 1500 * time.Millisecond, Payload: []byte{1}},
		{Kind: KindReply, ID: 1 << 40, Payload: []byte{3}},
		{Kind: KindAck, ID: 3},
	}
	general := []Envelope{
		{Kind: KindPublish, Topic: "t", Headers: map[string]string{"k": "v"}, Payload: []byte{1}},
		{Kind: KindPublish, Topic: "a topic name of more than 31 bytes", Payload: []byte{1}},
		{Kind: KindPublish, Topic: "t", Payload: make([]byte, 70000)},
		{Kind: Kind(200), Topic: "t"},
	}
	for i, list := range [][]Envelope{quick, general} {
		for _, want := range list {
			b, err := Native.Append(nil, &want)
			noErr(t, err, "Append")
			d := &nativeDecoder{}
			var got Envelope
			if took := d.decodeCommon(b, &got); took != (i == 0) {
				t.Errorf("quick path taken %v for %+v", took, want)
			}
			var viaDecode, viaGeneral Envelope
			noErr(t, d.Decode(b, &viaDecode), "Decode")
			noErr(t, (&nativeDecoder{}).decode(b, &viaGeneral), "general decode")
			equal(t, viaDecode, viaGeneral, "Decode against the general path")
			equal(t, viaDecode.Topic, want.Topic, "topic")
			equal(t, viaDecode.ID, want.ID, "id")
			equal(t, viaDecode.Timeout, want.Timeout, "timeout")
			equal(t, len(viaDecode.Payload), len(want.Payload), "payload length")
		}
	}
}

func TestNativeDecodeArray16(t *testing.T) {
	b := []byte{mpArray16, 0, 7, 4, 0, 0xa0, 0xa0, 0, mpNil, mpBin8, 0}
	var got Envelope
	noErr(t, Native.NewDecoder().Decode(b, &got), "Decode")
	equal(t, got, Envelope{Kind: KindPublish}, "envelope")
}

func TestNativeDecodeRejects(t *testing.T) {
	// valid is a publish; each case breaks one thing in it.
	valid := []byte{0x97, 4, 0, 0xa1, 't', 0xa0, 0, mpNil, mpBin8, 1, 'p'}
	with := func(i int, repl ...byte) []byte {
		return cat(valid[:i], repl, valid[i+1:])
	}
	tests := map[string][]byte{
		"empty":                {},
		"not an array":         {0x81, 0x01, 0x02},
		"six elements":         {0x96, 4, 0, 0xa1, 't', 0xa0, 0, mpNil},
		"array count too big":  {mpArray32, 0xff, 0xff, 0xff, 0xff, 4, 0, 0xa0, 0xa0, 0, mpNil, mpNil},
		"kind 0":               with(1, 0),
		"kind 256":             with(1, mpUint16, 1, 0),
		"kind negative":        with(1, 0xff),
		"kind string":          with(1, 0xa1, '4'),
		"kind nil":             with(1, mpNil),
		"id negative":          with(2, mpInt8, 0xfe),
		"id float":             with(2, mpFloat32, 0, 0, 0, 0),
		"topic is bin":         with(3, mpBin8),
		"topic is nil":         cat(valid[:3], []byte{mpNil}, valid[5:]),
		"topic not UTF-8":      with(4, 0xff),
		"topic past the end":   with(3, mpStr32),
		"from is int":          with(5, 0x01),
		"timeout negative":     with(6, 0xff),
		"timeout above MaxInt": with(6, mpUint64, 0xff, 0, 0, 0, 0, 0, 0, 0),
		"timeout string":       with(6, 0xa0),
		"headers array":        with(7, 0x90),
		"headers int value":    with(7, 0x81, 0xa1, 'k', 0x01),
		"headers int key":      with(7, 0x81, 0x01, 0xa1, 'v'),
		"header not UTF-8":     with(7, 0x81, 0xa1, 'k', 0xa1, 0xfe),
		"headers huge count":   with(7, mpMap32, 0x10, 0, 0, 0),
		"payload is str":       with(8, 0xa1),
		"payload past the end": with(9, 2),
		"payload huge":         with(8, mpBin32, 0xff, 0xff, 0xff, 0xff),
		"trailing byte":        cat(valid, []byte{0}),
		"extra never used":     cat([]byte{0x98}, valid[1:], []byte{0xc1}),
		"extra truncated":      cat([]byte{0x98}, valid[1:], []byte{mpStr8, 5, 'x'}),
		"extra missing":        cat([]byte{0x98}, valid[1:]),
		"extra too deep":       cat([]byte{0x98}, valid[1:], bytes.Repeat([]byte{0x91}, maxDepth+1), []byte{1}),
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			before := Envelope{Kind: KindPing, ID: 9}
			got := before
			err := Native.NewDecoder().Decode(b, &got)
			isErr(t, err, ErrMalformed, "Decode")
			equal(t, got, before, "envelope after a failed decode")
		})
	}
	for i := range valid { // every truncation fails
		var got Envelope
		isErr(t, Native.NewDecoder().Decode(valid[:i], &got), ErrMalformed, "truncated")
	}
}

func TestNativeDecodeErrorNamesTheField(t *testing.T) {
	b := []byte{0x97, 4, 0, 0x01, 0xa0, 0, mpNil, mpNil}
	err := Native.NewDecoder().Decode(b, new(Envelope))
	if err == nil || !strings.Contains(err.Error(), "topic") || !strings.Contains(err.Error(), "positive fixint") {
		t.Fatalf("error %v does not say what is wrong", err)
	}
}

func TestKindNames(t *testing.T) {
	equal(t, KindPublish.String(), "publish", "publish")
	equal(t, KindGoAway.String(), "goaway", "goaway")
	equal(t, Kind(0).String(), "kind(0)", "kind 0")
	equal(t, Kind(15).String(), "kind(15)", "kind 15")
	for k := KindHello; k <= KindGoAway; k++ {
		if !k.Known() || strings.HasPrefix(k.String(), "kind(") {
			t.Errorf("kind %d has no name", k)
		}
	}
	if Kind(0).Known() || Kind(15).Known() {
		t.Error("unknown kinds reported known")
	}
}

func TestFormatNames(t *testing.T) {
	equal(t, Native.Name(), "native", "native")
	equal(t, Node.Name(), "node", "node")
}
