package main

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/sockipc/sockipc/codec"
)

func printed(t *testing.T, v any) string {
	t.Helper()
	b, err := msgpack.Marshal(v)
	require.NoError(t, err)
	out, err := appendJSON([]byte("prefix:"), codec.MsgPack, b)
	require.NoError(t, err)
	return string(out)
}

func TestAppendJSONMsgPack(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   any
		want string
	}{
		{nil, `null`},
		{true, `true`},
		{int8(-5), `-5`},
		{int64(math.MinInt64), `-9223372036854775808`},
		{uint64(math.MaxUint64), `18446744073709551615`},
		{float32(0.1), `0.1`},
		{1e21, `1e+21`},
		{math.NaN(), `null`},
		{math.Inf(-1), `null`},
		{"a\"b\\c\n\x01<>&\u2028é", `"a\"b\\c\n\u0001<>&\u2028é"`},
		{"\xff", `"\ufffd"`},
		{[]byte{0, 1, 2, 250}, `"AAEC+g=="`},
		{[]any{1, "x", nil, []any{}}, `[1,"x",null,[]]`},
		{map[string]any{"k": map[string]any{}}, `{"k":{}}`},
		{map[int]string{7: "seven"}, `{"7":"seven"}`},
		{map[bool]int{true: 1}, `{"true":1}`},
		{map[float64]int{1.5: 1}, `{"1.5":1}`},
		{time.Date(2024, 5, 6, 7, 8, 9, 123, time.UTC), `"2024-05-06T07:08:09.000000123Z"`},
		{time.Unix(1700000000, 0), `"2023-11-14T22:13:20Z"`},
	} {
		require.Equal(t, "prefix:"+tc.want, printed(t, tc.in), "%#v", tc.in)
	}
}

func TestAppendJSONMsgPackOddKeys(t *testing.T) {
	t.Parallel()
	// A map whose keys are an array, nil and binary data.
	enc := func(f func(e *msgpack.Encoder)) []byte {
		var b writer
		f(msgpack.NewEncoder(&b))
		return b
	}
	payload := enc(func(e *msgpack.Encoder) {
		e.EncodeMapLen(3)
		e.EncodeArrayLen(2)
		e.EncodeInt(1)
		e.EncodeString("x")
		e.EncodeInt(1)
		e.EncodeNil()
		e.EncodeInt(2)
		e.EncodeBytes([]byte("ab"))
		e.EncodeInt(3)
	})
	out, err := appendJSON(nil, codec.MsgPack, payload)
	require.NoError(t, err)
	require.Equal(t, `{"[1,\"x\"]":1,"null":2,"YWI=":3}`, string(out))
	require.True(t, json.Valid(out))
}

func TestAppendJSONMsgPackExt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		payload []byte
		want    string
	}{
		{[]byte{0xd4, 0x05, 0xaa}, `{"ext":5,"data":"qg=="}`},                         // fixext 1
		{[]byte{0xc7, 0x03, 0xfe, 1, 2, 3}, `{"ext":-2,"data":"AQID"}`},               // ext 8
		{[]byte{0xd6, 0xff, 0, 0, 0, 1}, `"1970-01-01T00:00:01Z"`},                    // timestamp 32
		{[]byte{0x92, 0xd4, 0x01, 0x00, 0xc0}, `[{"ext":1,"data":"AA=="},null]`},      // in an array
		{[]byte{0x81, 0xd4, 0x01, 0x00, 0x01}, `{"{\"ext\":1,\"data\":\"AA==\"}":1}`}, // as a key
	} {
		out, err := appendJSON(nil, codec.MsgPack, tc.payload)
		require.NoError(t, err, "%x", tc.payload)
		require.Equal(t, tc.want, string(out), "%x", tc.payload)
		require.True(t, json.Valid(out))
	}
}

func TestAppendJSONInvalid(t *testing.T) {
	t.Parallel()
	for _, payload := range [][]byte{
		{0xc1},                               // never used
		{0x92, 0x01},                         // array of 2 with 1 element
		{0xa5, 'a'},                          // short string
		{0xc9, 0xff, 0xff, 0xff, 0xff, 0x01}, // ext 32 longer than the payload
		{0x01, 0x02},                         // data after the value
	} {
		out, err := appendJSON([]byte("keep"), codec.MsgPack, payload)
		require.Error(t, err, "%x", payload)
		require.Equal(t, "keep", string(out))
	}
	_, err := appendJSON(nil, codec.JSON, []byte("{nope"))
	require.Error(t, err)
}

func TestAppendJSONDeep(t *testing.T) {
	t.Parallel()
	deep := make([]byte, 0, maxDepth+2)
	for range maxDepth + 2 {
		deep = append(deep, 0x91) // array of one element
	}
	deep = append(deep, 0xc0)
	_, err := appendJSON(nil, codec.MsgPack, deep)
	require.ErrorContains(t, err, "nested too deep")
}

func TestAppendJSONEmpty(t *testing.T) {
	t.Parallel()
	for _, c := range []codec.Codec{codec.MsgPack, codec.JSON} {
		out, err := appendJSON(nil, c, nil)
		require.NoError(t, err)
		require.Equal(t, "null", string(out))
	}
	out, err := appendJSON(nil, codec.JSON, []byte(" {\"a\": 1} "))
	require.NoError(t, err)
	require.Equal(t, `{"a":1}`, string(out))
}

// writer is a bytes.Buffer reduced to Write, for msgpack.NewEncoder.
type writer []byte

func (w *writer) Write(p []byte) (int, error) {
	*w = append(*w, p...)
	return len(p), nil
}
