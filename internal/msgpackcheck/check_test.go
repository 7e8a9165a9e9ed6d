package msgpackcheck

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"
)

// sample is shaped like the benchmarks' message.
type sample struct {
	ID   int64
	Name string
	Vals []float64
}

func encode(t testing.TB, v any) []byte {
	t.Helper()
	b, err := msgpack.Marshal(v)
	require.NoError(t, err)
	return b
}

// Every kind of value the encoder writes, in every width, is skipped
// whole; cut anywhere, it fails.
func TestSkipAcceptsWhatTheEncoderWrites(t *testing.T) {
	ints := make([]int, 70000) // an array32
	for i := range ints {
		ints[i] = i
	}
	big := map[string]int{} // a map16
	for i := range 20 {
		big[strings.Repeat("k", i+1)] = i
	}
	values := map[string]any{
		"nil":      nil,
		"bools":    []bool{true, false},
		"ints":     []int64{0, 127, -32, 200, -100, 40000, -40000, 1 << 20, -(1 << 20), math.MaxInt64, math.MinInt64},
		"uint64":   uint64(math.MaxUint64),
		"floats":   []any{float32(1.5), 2.5, math.Inf(1)},
		"strings":  []string{"", "short", strings.Repeat("s", 40), strings.Repeat("s", 300), strings.Repeat("s", 70000)},
		"binary":   [][]byte{{}, {1, 2, 3}, make([]byte, 300), make([]byte, 70000)},
		"array16":  make([]int, 20),
		"array32":  ints,
		"map16":    big,
		"nested":   map[string]any{"a": []any{map[string]any{"b": []int{1}}}},
		"struct":   sample{ID: 7, Name: "sixteen-chars-xx", Vals: []float64{1, 2, 3, 4}},
		"time":     time.Unix(1e9, 5).UTC(),
		"emptyArr": []int{},
		"emptyMap": map[string]int{},
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			b := encode(t, v)
			rest, err := Skip(append(b, 0xc0), MaxDepth)
			require.NoError(t, err)
			require.Equal(t, []byte{0xc0}, rest, "what follows the value")
			if len(b) > 1000 {
				b = b[:1000] // every cut of a long value is a long test
			}
			for i := range b {
				_, err := Skip(b[:i], MaxDepth)
				require.ErrorIs(t, err, ErrTruncated, "cut to %d bytes", i)
			}
		})
	}
}

// The extension forms, which the encoder writes only for its own types.
func TestSkipExtensions(t *testing.T) {
	for _, b := range [][]byte{
		{0xd4, 5, 1},
		{0xd8, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
		{0xc7, 2, 5, 1, 2},
		{0xc8, 0, 2, 5, 1, 2},
		{0xc9, 0, 0, 0, 2, 5, 1, 2},
	} {
		rest, err := Skip(b, 0)
		require.NoError(t, err, "%x", b)
		require.Empty(t, rest)
	}
}

// Lengths announced beyond the data fail at once, whatever their size:
// these are what would have a decoder allocate gigabytes.
func TestSkipRefusesLengthsBeyondTheData(t *testing.T) {
	tests := map[string][]byte{
		"array32":             {0xdd, 0xff, 0xff, 0xff, 0xff, 0x01},
		"array16":             {0xdc, 0x01, 0x00, 0x01, 0x02},
		"map32":               {0xdf, 0x7f, 0xff, 0xff, 0xff, 0x01, 0x01},
		"map16 counts pairs":  {0xde, 0x00, 0x02, 0x01, 0x01, 0x01},
		"fixarray":            {0x93, 0x01, 0x02},
		"str32":               {0xdb, 0xff, 0xff, 0xff, 0xff, 'a'},
		"bin32":               {0xc6, 0x00, 0x01, 0x00, 0x00},
		"ext32":               {0xc9, 0xff, 0xff, 0xff, 0xff, 1},
		"in a struct's field": {0x81, 0xa4, 'V', 'a', 'l', 's', 0xdd, 0xff, 0xff, 0xff, 0xff},
		"nested":              {0x91, 0x91, 0xdd, 0x00, 0x00, 0x10, 0x00, 0x01},
		"empty":               {},
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Skip(b, MaxDepth)
			require.ErrorIs(t, err, ErrTruncated)
		})
	}
}

func TestSkipRefusesTheUnusedTypeByte(t *testing.T) {
	for _, b := range [][]byte{{0xc1}, {0x92, 0x01, 0xc1}, {0x81, 0xc1, 0x01}} {
		_, err := Skip(b, MaxDepth)
		require.ErrorIs(t, err, ErrInvalid, "%x", b)
	}
}

// Arrays and maps may nest as deep as asked, and no deeper; empty ones
// open no level.
func TestSkipDepth(t *testing.T) {
	arrays := func(n int) []byte { return append(bytes.Repeat([]byte{0x91}, n), 0x01) }
	maps := func(n int) []byte { return append(bytes.Repeat([]byte{0x81, 0x01}, n), 0x01) }
	for name, nest := range map[string]func(int) []byte{"arrays": arrays, "maps": maps} {
		t.Run(name, func(t *testing.T) {
			for _, depth := range []int{0, 1, 32, MaxDepth} {
				rest, err := Skip(nest(depth), depth)
				require.NoError(t, err, "depth %d", depth)
				require.Empty(t, rest)
				_, err = Skip(nest(depth+1), depth)
				require.ErrorIs(t, err, ErrTooDeep, "depth %d", depth+1)
			}
		})
	}
	rest, err := Skip([]byte{0x90}, 0)
	require.NoError(t, err, "an empty array")
	require.Empty(t, rest)
}

// Check refuses what Skip refuses that could make a decoder allocate or
// recurse beyond the data's size, and lets short data without long arrays
// and maps through without walking it.
func TestCheck(t *testing.T) {
	deep := func(n int) []byte { return append(bytes.Repeat([]byte{0x91}, n), 0x01) }
	for name, b := range map[string][]byte{
		"array32":      {0xdd, 0xff, 0xff, 0xff, 0xff, 0x01},
		"map16":        {0x82, 0xa1, 'a', 0xde, 0xff, 0xff, 0x01},
		"bin32":        {0x81, 0xa4, 'D', 'a', 't', 'a', 0xc6, 0xff, 0xff, 0xff, 0xff},
		"too deep":     deep(MaxDepth + 1),
		"long and bad": append(append([]byte{0x92}, encode(t, make([]int, quickLen))...), 0xdd, 0xff, 0xff, 0xff, 0xff),
	} {
		t.Run(name, func(t *testing.T) {
			require.Error(t, Check(b))
			_, err := Skip(b, MaxDepth)
			require.Error(t, err)
		})
	}
	for name, b := range map[string][]byte{
		"sample":                encode(t, sample{ID: 7, Name: "sixteen-chars-xx", Vals: []float64{1, 2, 3, 4}}),
		"long array":            encode(t, make([]int, 70000)),
		"as deep as allowed":    deep(MaxDepth),
		"truncated, but short":  {0x93, 0x01},                   // its decoder will say so
		"str32 beyond the data": {0xdb, 0xff, 0xff, 0xff, 0xff}, // decoders check strings
		"0xdc inside a string":  {0xa2, 0xdc, 0xdd},
		"0xdf inside a float64": {0xcb, 0, 0, 0, 0, 0, 0, 0, 0xdf},
		"0xde inside a bin8":    {0xc4, 0x01, 0xde},
	} {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, Check(b))
		})
	}
}

// The 8-bytes-at-a-time scan finds a byte from 0xdc to 0xdf, or 0xc6,
// wherever it is, and nothing else.
func TestMayHoldLongContainer(t *testing.T) {
	for n := range 30 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(0xdc + 4 + i*7) // none from 0xdc to 0xdf, nor 0xc6
		}
		require.False(t, mayAnnounceMuch(b), "%x", b)
		for i := range b {
			for c := range 256 {
				saved := b[i]
				b[i] = byte(c)
				want := c >= 0xdc && c <= 0xdf || c == 0xc6
				require.Equal(t, want, mayAnnounceMuch(b), "byte %#x at %d of %d", c, i, n)
				b[i] = saved
			}
		}
	}
}

// Whatever the input, Skip returns an error or what follows one value,
// without panicking.
func FuzzSkip(f *testing.F) {
	f.Add(encode(f, sample{ID: 7, Name: "sixteen-chars-xx", Vals: []float64{1, 2, 3, 4}}))
	f.Add([]byte{0xdd, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0x91, 0x91, 0x81, 0xc0, 0xd8, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		rest, err := Skip(b, 8)
		if err != nil {
			if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrTooDeep) && !errors.Is(err, ErrInvalid) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(rest) >= len(b) || !bytes.Equal(rest, b[len(b)-len(rest):]) {
			t.Fatalf("rest %x is not what follows a value in %x", rest, b)
		}
	})
}

// The cost of checking the benchmarks' message, which decoding by
// reflection takes hundreds of nanoseconds for, and the generated code
// about 65: walked whole (Skip), and as codecs check it (Check).
func BenchmarkSample(b *testing.B) {
	data := encode(b, sample{ID: 7, Name: "sixteen-chars-xx", Vals: []float64{1, 2, 3, 4}})
	for name, check := range map[string]func([]byte) error{
		"Skip":  func(b []byte) error { _, err := Skip(b, MaxDepth); return err },
		"Check": Check,
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if err := check(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
