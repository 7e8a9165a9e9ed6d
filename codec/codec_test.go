package codec_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/codec"
)

type sample struct {
	ID   int64
	Name string
	Vals []float64
}

func TestRoundTrip(t *testing.T) {
	in := sample{ID: 7, Name: "seven", Vals: []float64{1.5, 2}}
	for _, c := range []codec.Codec{codec.MsgPack, codec.JSON} {
		t.Run(c.Name(), func(t *testing.T) {
			b, err := c.Marshal(in)
			require.NoError(t, err)
			var out sample
			require.NoError(t, c.Unmarshal(b, &out))
			require.Equal(t, in, out)

			// Appending gives the same bytes after a prefix.
			a, ok := c.(codec.Appender)
			require.True(t, ok)
			ab, err := a.AppendMarshal([]byte("prefix"), in)
			require.NoError(t, err)
			require.Equal(t, append([]byte("prefix"), b...), ab)

			// An absent payload decodes as the zero value.
			out = sample{ID: 1}
			require.NoError(t, c.Unmarshal(nil, &out))
			require.Equal(t, sample{ID: 1}, out, "left untouched")

			// Garbage is an error, not a panic.
			require.Error(t, c.Unmarshal([]byte{0xc1, '{'}, &out))
		})
	}
}

func TestNewUnmarshaler(t *testing.T) {
	in := sample{ID: 7, Name: "seven", Vals: []float64{1.5, 2}}
	for _, c := range []codec.Codec{codec.MsgPack, codec.JSON} {
		t.Run(c.Name(), func(t *testing.T) {
			dec := codec.NewUnmarshaler(c)
			_, own := c.(codec.UnmarshalerMaker)
			require.Equal(t, c.Name() == "msgpack", own, "which codecs have decoders of their own")
			b, err := c.Marshal(in)
			require.NoError(t, err)
			for i := range 3 { // one decoder, message after message
				var out sample
				require.NoError(t, dec.Unmarshal(b, &out), "message %d", i)
				require.Equal(t, in, out)
			}
			out := sample{ID: 1}
			require.NoError(t, dec.Unmarshal(nil, &out))
			require.Equal(t, sample{ID: 1}, out, "an absent payload leaves the value untouched")
			require.Error(t, dec.Unmarshal([]byte{0xc1, '{'}, &out), "garbage")
			var again sample
			require.NoError(t, dec.Unmarshal(b, &again), "a decoder that failed decodes the next one")
			require.Equal(t, in, again)
		})
	}
}

func TestNames(t *testing.T) {
	require.Equal(t, "msgpack", codec.MsgPack.Name())
	require.Equal(t, "json", codec.JSON.Name())
}

// generated mimics the methods github.com/tinylib/msgp generates: it
// encodes itself as a msgpack positive fixint.
type generated struct{ N uint8 }

var calls int

func (g *generated) MarshalMsg(b []byte) ([]byte, error) {
	calls++
	return append(b, g.N&0x7f), nil
}

func (g *generated) UnmarshalMsg(b []byte) ([]byte, error) {
	calls++
	g.N = b[0]
	return b[1:], nil
}

func TestMsgPackUsesGeneratedMethods(t *testing.T) {
	calls = 0
	b, err := codec.MsgPack.Marshal(&generated{N: 5})
	require.NoError(t, err)
	require.Equal(t, []byte{5}, b)
	var g generated
	require.NoError(t, codec.MsgPack.Unmarshal(b, &g))
	require.Equal(t, uint8(5), g.N)
	require.Equal(t, 2, calls, "both directions went through the generated methods")
	g = generated{}
	require.NoError(t, codec.NewUnmarshaler(codec.MsgPack).Unmarshal(b, &g))
	require.Equal(t, uint8(5), g.N)
	require.Equal(t, 3, calls, "a decoder of its own uses them too")

	// The bytes are ordinary msgpack: a reflection decoder reads them too.
	var n int
	require.NoError(t, codec.MsgPack.Unmarshal(b, &n))
	require.Equal(t, 5, n)
}

// Payloads that announce more than they hold, or nest without end, fail
// with ErrMalformed before any decoder sees them: decoders size their
// allocations from such announcements, and these few bytes would have
// the process allocate gigabytes, or exhaust its stack.
func TestMsgPackRefusesWhatWouldExhaustMemory(t *testing.T) {
	huge := []byte{0xdd, 0xff, 0xff, 0xff, 0xff} // an array of 2^32-1 elements
	tests := map[string]struct {
		payload []byte
		into    func() any
	}{
		"a slice field": {
			append([]byte{0x81, 0xa4, 'V', 'a', 'l', 's'}, huge...),
			func() any { return new(sample) },
		},
		"a slice":            {huge, func() any { return new([]any) }},
		"a 4 GiB byte slice": {[]byte{0xc6, 0xff, 0xff, 0xff, 0xff}, func() any { return new([]byte) }},
		"generated code":     {huge, func() any { return new(generated) }},
		"a map of 2^31 keys": {[]byte{0xdf, 0x7f, 0xff, 0xff, 0xff, 0x01}, func() any { return new(map[int]int) }},
		"nested 10,001 deep": {
			append(bytes.Repeat([]byte{0x91}, 10001), 0x01),
			func() any { return new(any) },
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			calls = 0
			err := codec.MsgPack.Unmarshal(tt.payload, tt.into())
			require.ErrorIs(t, err, codec.ErrMalformed)
			err = codec.NewUnmarshaler(codec.MsgPack).Unmarshal(tt.payload, tt.into())
			require.ErrorIs(t, err, codec.ErrMalformed)
			require.Zero(t, calls, "the generated methods saw the payload")
		})
	}
	// As deep as allowed is decoded.
	var v any
	require.NoError(t, codec.MsgPack.Unmarshal(append(bytes.Repeat([]byte{0x91}, 10000), 0x01), &v))
}

func BenchmarkMsgPack(b *testing.B) {
	in := sample{ID: 7, Name: "0123456789abcdef", Vals: []float64{1, 2, 3, 4}}
	a := codec.MsgPack.(codec.Appender)
	buf := make([]byte, 0, 256)
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = a.AppendMarshal(buf[:0], &in)
		}
	})
	data, _ := codec.MsgPack.Marshal(in)
	for _, u := range []struct {
		name string
		dec  codec.Unmarshaler
	}{{"unmarshal", codec.MsgPack}, {"own-decoder", codec.NewUnmarshaler(codec.MsgPack)}} {
		b.Run(u.name, func(b *testing.B) {
			b.ReportAllocs()
			var out sample
			for b.Loop() {
				_ = u.dec.Unmarshal(data, &out)
			}
		})
	}
}

func BenchmarkMsgPackMarshal(b *testing.B) {
	in := sample{ID: 7, Name: "0123456789abcdef", Vals: []float64{1, 2, 3, 4}}
	b.ReportAllocs()
	for b.Loop() {
		_, _ = codec.MsgPack.Marshal(&in)
	}
}
