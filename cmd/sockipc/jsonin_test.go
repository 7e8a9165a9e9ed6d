package main

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/sockipc/sockipc/codec"
)

func TestEncodeJSONNumbers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want any
	}{
		{`0`, int64(0)},
		{`-42`, int64(-42)},
		{`9223372036854775807`, int64(math.MaxInt64)},
		{`18446744073709551615`, uint64(math.MaxUint64)},
		{`18446744073709551616`, float64(1 << 64)},
		{`1.5`, 1.5},
		{`1e3`, float64(1000)},
		{`-0.0`, math.Copysign(0, -1)},
	} {
		b, err := encodeJSON(codec.MsgPack, []byte(tc.in))
		require.NoError(t, err, tc.in)
		var got any
		require.NoError(t, msgpack.Unmarshal(b, &got), tc.in)
		switch want := tc.want.(type) {
		case int64:
			// msgpack/v5 decodes small integers into their smallest Go type.
			require.EqualValues(t, want, got, tc.in)
			require.NotContains(t, []string{"float32", "float64"}, typeName(got), tc.in)
		default:
			require.Equal(t, tc.want, got, tc.in)
		}
	}
}

func typeName(v any) string {
	switch v.(type) {
	case float32:
		return "float32"
	case float64:
		return "float64"
	}
	return "other"
}

// A Go struct with int fields decodes what the CLI encodes.
func TestEncodeJSONIntoStruct(t *testing.T) {
	t.Parallel()
	type inner struct{ U uint8 }
	type value struct {
		N    int
		I64  int64
		F    float64
		S    string
		List []int
		In   inner
		Any  any
	}
	b, err := encodeJSON(codec.MsgPack, []byte(`{"N":-7,"I64":1234567890123,"F":2.5,"S":"x","List":[1,2,3],"In":{"U":200},"Any":null}`))
	require.NoError(t, err)
	var got value
	require.NoError(t, codec.MsgPack.Unmarshal(b, &got))
	require.Equal(t, value{N: -7, I64: 1234567890123, F: 2.5, S: "x", List: []int{1, 2, 3}, In: inner{U: 200}}, got)
}

func TestEncodeJSONKeepsOrder(t *testing.T) {
	t.Parallel()
	in := `{"z":1,"a":{"y":[true,false,null],"b":"s"},"m":{}}`
	b, err := encodeJSON(codec.MsgPack, []byte(in))
	require.NoError(t, err)
	out, err := appendJSON(nil, codec.MsgPack, b)
	require.NoError(t, err)
	require.Equal(t, in, string(out))
}

func TestEncodeJSONCodecJSON(t *testing.T) {
	t.Parallel()
	b, err := encodeJSON(codec.JSON, []byte(" {\"a\" : [1, 2.50, 123456789012345678901234567890]}\n"))
	require.NoError(t, err)
	require.Equal(t, `{"a":[1,2.50,123456789012345678901234567890]}`, string(b))
}

func TestEncodeJSONOtherCodec(t *testing.T) {
	t.Parallel()
	b, err := encodeJSON(otherCodec{}, []byte(`{"n":1,"l":[2.5,"x"]}`))
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	require.Equal(t, map[string]any{"n": float64(1), "l": []any{2.5, "x"}}, got)
}

// otherCodec is a codec the command has no special case for.
type otherCodec struct{}

func (otherCodec) Name() string                    { return "other" }
func (otherCodec) Marshal(v any) ([]byte, error)   { return json.Marshal(v) }
func (otherCodec) Unmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func TestEncodeJSONInvalid(t *testing.T) {
	t.Parallel()
	for _, in := range []string{``, ` `, `{`, `{"a":1,}`, `[1 2]`, `1 2`, `nul`, `{"a"}`, `'x'`, "\"\xff\""} {
		for _, c := range []codec.Codec{codec.MsgPack, codec.JSON} {
			_, err := encodeJSON(c, []byte(in))
			require.ErrorIs(t, err, errBadJSON, "%q with %s", in, c.Name())
		}
	}
	// A number out of the range of a float64 is valid JSON text, which the
	// JSON codec carries as it is, but has no MessagePack value.
	_, err := encodeJSON(codec.MsgPack, []byte(`[1e999]`))
	require.ErrorIs(t, err, errBadJSON)
	require.ErrorContains(t, err, "out of range")
	_, err = encodeJSON(codec.JSON, []byte(`[1e999]`))
	require.NoError(t, err)
}
