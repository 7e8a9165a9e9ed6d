package wire

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vmihailenco/msgpack/v5"
)

// ref encodes with the msgpack library, the reference the hand-written
// primitives are checked against.
func ref(t testing.TB, enc func(e *msgpack.Encoder) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	noErr(t, enc(msgpack.NewEncoder(&buf)), "reference encoding")
	return buf.Bytes()
}

var intCases = []int64{
	0, 1, 127, 128, 255, 256, 65535, 65536, math.MaxUint32, math.MaxUint32 + 1, math.MaxInt64,
	-1, -32, -33, -128, -129, -32768, -32769, math.MinInt32, math.MinInt32 - 1, math.MinInt64,
}

func TestAppendIntMatchesReference(t *testing.T) {
	for _, v := range intCases {
		want := ref(t, func(e *msgpack.Encoder) error { return e.EncodeInt(v) })
		got := appendInt(nil, v)
		equal(t, got, want, "appendInt")
		back, rest, err := readInt(got)
		noErr(t, err, "readInt")
		equal(t, back, v, "readInt value")
		equal(t, len(rest), 0, "readInt rest")
	}
}

func TestAppendUintMatchesReference(t *testing.T) {
	for _, v := range []uint64{0, 127, 128, 255, 256, 65535, 65536, math.MaxUint32, math.MaxUint32 + 1, math.MaxUint64} {
		want := ref(t, func(e *msgpack.Encoder) error { return e.EncodeUint(v) })
		got := appendUint(nil, v)
		equal(t, got, want, "appendUint")
		back, rest, err := readUint(got)
		noErr(t, err, "readUint")
		equal(t, back, v, "readUint value")
		equal(t, len(rest), 0, "readUint rest")
	}
}

func TestReadIntAcceptsEveryWidth(t *testing.T) {
	tests := []struct {
		name string
		enc  func(e *msgpack.Encoder) error
		want int64
	}{
		{"uint8", func(e *msgpack.Encoder) error { return e.EncodeUint8(7) }, 7},
		{"uint16", func(e *msgpack.Encoder) error { return e.EncodeUint16(7) }, 7},
		{"uint32", func(e *msgpack.Encoder) error { return e.EncodeUint32(7) }, 7},
		{"uint64", func(e *msgpack.Encoder) error { return e.EncodeUint64(7) }, 7},
		{"int8", func(e *msgpack.Encoder) error { return e.EncodeInt8(-7) }, -7},
		{"int16", func(e *msgpack.Encoder) error { return e.EncodeInt16(-7) }, -7},
		{"int32", func(e *msgpack.Encoder) error { return e.EncodeInt32(-7) }, -7},
		{"int64", func(e *msgpack.Encoder) error { return e.EncodeInt64(-7) }, -7},
		{"int64 positive", func(e *msgpack.Encoder) error { return e.EncodeInt64(7) }, 7},
		{"int16 min", func(e *msgpack.Encoder) error { return e.EncodeInt16(math.MinInt16) }, math.MinInt16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ref(t, tt.enc)
			v, rest, err := readInt(b)
			noErr(t, err, "readInt")
			equal(t, v, tt.want, "value")
			equal(t, len(rest), 0, "rest")
			if tt.want >= 0 {
				u, _, err := readUint(b)
				noErr(t, err, "readUint")
				equal(t, u, uint64(tt.want), "readUint value")
			}
		})
	}
}

func TestReadIntRejects(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		uint bool
	}{
		{"empty", nil, false},
		{"truncated uint16", []byte{mpUint16, 1}, false},
		{"truncated int64", []byte{mpInt64, 0, 0, 0}, false},
		{"string", []byte{0xa1, 'x'}, false},
		{"nil", []byte{mpNil}, false},
		{"float", []byte{mpFloat32, 0, 0, 0, 0}, false},
		{"uint64 above MaxInt64", []byte{mpUint64, 0x80, 0, 0, 0, 0, 0, 0, 0}, false},
		{"negative fixint as uint", []byte{0xff}, true},
		{"negative int8 as uint", []byte{mpInt8, 0x80}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.uint {
				_, _, err = readUint(tt.b)
			} else {
				_, _, err = readInt(tt.b)
			}
			if err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestAppendStrAndBinMatchReference(t *testing.T) {
	for _, n := range []int{0, 1, 31, 32, 255, 256, 65535, 65536} {
		s := strings.Repeat("x", n)
		want := ref(t, func(e *msgpack.Encoder) error { return e.EncodeString(s) })
		got := appendStr(nil, s)
		equal(t, got, want, "appendStr")
		back, rest, err := readStr(got)
		noErr(t, err, "readStr")
		equal(t, string(back), s, "readStr value")
		equal(t, len(rest), 0, "readStr rest")

		bin := []byte(s)
		want = ref(t, func(e *msgpack.Encoder) error { return e.EncodeBytes(bin) })
		got = appendBin(nil, bin)
		equal(t, got, want, "appendBin")
		backBin, rest, err := readBin(got)
		noErr(t, err, "readBin")
		if n == 0 {
			equal(t, backBin, []byte(nil), "readBin of empty")
		} else {
			equal(t, backBin, bin, "readBin value")
		}
		equal(t, len(rest), 0, "readBin rest")
	}
}

func TestAppendHeadersMatchReference(t *testing.T) {
	for _, n := range []int{0, 15, 16, 65535, 65536} {
		want := ref(t, func(e *msgpack.Encoder) error { return e.EncodeArrayLen(n) })
		equal(t, appendArrayHeader(nil, n), want, "appendArrayHeader")
		want = ref(t, func(e *msgpack.Encoder) error { return e.EncodeMapLen(n) })
		equal(t, appendMapHeader(nil, n), want, "appendMapHeader")
	}
}

func TestReadLengthsAreCheckedAgainstData(t *testing.T) {
	tests := []struct {
		name string
		read func([]byte) error
		b    []byte
	}{
		{"str32 of 4 GiB", func(b []byte) error { _, _, err := readStr(b); return err }, []byte{mpStr32, 0xff, 0xff, 0xff, 0xff, 'x'}},
		{"fixstr past end", func(b []byte) error { _, _, err := readStr(b); return err }, []byte{0xa5, 'x'}},
		{"bin16 past end", func(b []byte) error { _, _, err := readBin(b); return err }, []byte{mpBin16, 0, 9, 1}},
		{"bin8 truncated header", func(b []byte) error { _, _, err := readBin(b); return err }, []byte{mpBin8}},
		{"array32 of 4G elements", func(b []byte) error { _, _, err := readArrayHeader(b); return err }, []byte{mpArray32, 0xff, 0xff, 0xff, 0xff, 1, 2}},
		{"map16 past end", func(b []byte) error { _, _, err := readMapHeader(b); return err }, []byte{mpMap16, 0, 2, 1, 2, 3}},
		{"str is not bin", func(b []byte) error { _, _, err := readBin(b); return err }, []byte{0xa1, 'x'}},
		{"bin is not str", func(b []byte) error { _, _, err := readStr(b); return err }, []byte{mpBin8, 1, 'x'}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.read(tt.b); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestSkipEveryType(t *testing.T) {
	type inner struct {
		A []any
		M map[string]any
	}
	values := []any{
		nil, true, false, 0, -1, 200, -200, 70000, -70000, int64(math.MinInt64), uint64(math.MaxUint64),
		float32(1.5), 2.5, "", "short", strings.Repeat("s", 40), strings.Repeat("s", 300), strings.Repeat("s", 70000),
		[]byte{}, []byte{1, 2}, make([]byte, 300), make([]byte, 70000),
		[]any{1, "a", nil}, make([]int, 20), make([]int, 70000),
		map[string]any{"a": 1, "b": []any{map[string]any{"c": nil}}}, inner{A: []any{1}, M: map[string]any{"x": 1.0}},
		time.Unix(1, 0), time.Unix(1<<40, 5), time.Unix(1, 5).UTC(),
	}
	for _, v := range values {
		b, err := msgpack.Marshal(v)
		noErr(t, err, "marshal")
		rest, err := skip(append(b, 0x01))
		noErr(t, err, "skip")
		equal(t, rest, []byte{0x01}, "rest after skip")
		for i := range b { // every truncation fails
			if _, err := skip(b[:i]); err == nil {
				t.Fatalf("skip of %x truncated to %d bytes: no error", b, i)
			}
		}
	}
}

func TestSkipExtensions(t *testing.T) {
	tests := [][]byte{
		{mpFixExt1, 5, 1},
		{mpFixExt1 + 1, 5, 1, 2},
		{mpFixExt1 + 2, 5, 1, 2, 3, 4},
		{mpFixExt1 + 3, 5, 1, 2, 3, 4, 5, 6, 7, 8},
		cat([]byte{mpFixExt16, 5}, make([]byte, 16)),
		{mpExt8, 2, 5, 1, 2},
		{mpExt16, 0, 2, 5, 1, 2},
		{mpExt32, 0, 0, 0, 2, 5, 1, 2},
		{mpExt8, 0, 5},
	}
	for _, b := range tests {
		rest, err := skip(b)
		noErr(t, err, "skip")
		equal(t, len(rest), 0, "rest")
		for i := range b {
			if _, err := skip(b[:i]); err == nil {
				t.Fatalf("skip of %x truncated to %d bytes: no error", b, i)
			}
		}
	}
}

func TestSkipRejects(t *testing.T) {
	deep := func(n int) []byte { return append(bytes.Repeat([]byte{0x91}, n), 0x01) }
	if _, err := skip(deep(maxDepth)); err != nil {
		t.Fatalf("skip at the depth limit: %v", err)
	}
	tests := map[string][]byte{
		"never used byte":     {0xc1},
		"too deep":            deep(maxDepth + 1),
		"deep map":            append(bytes.Repeat([]byte{0x81, 0x01}, maxDepth+1), 0x01),
		"huge array count":    {mpArray32, 0xff, 0xff, 0xff, 0xff, 0x01},
		"huge map count":      {mpMap32, 0x7f, 0xff, 0xff, 0xff, 0x01, 0x01},
		"huge str":            {mpStr32, 0xff, 0xff, 0xff, 0xff},
		"huge ext":            {mpExt32, 0xff, 0xff, 0xff, 0xff, 1},
		"empty":               {},
		"never used in array": {0x92, 0x01, 0xc1},
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := skip(b); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestTypeErrorNamesTheType(t *testing.T) {
	for c, want := range map[byte]string{
		0x05: "positive fixint", 0x81: "fixmap", 0x91: "fixarray", 0xa1: "fixstr",
		0xc0: "nil", 0xc1: "never used", 0xd9: "str8", 0xdf: "map32", 0xe0: "negative fixint",
	} {
		err := &typeError{"str", c}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("typeError(0x%02x) = %q, want it to name %q", c, err.Error(), want)
		}
	}
}
