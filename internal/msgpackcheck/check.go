// Package msgpackcheck checks that bytes hold well-formed MessagePack
// before a decoder that trusts them sees them.
//
// A MessagePack array, map, string or binary value announces its length
// before its contents, and decoders size what they allocate from that
// announcement. The msgpack v5 decoder (v5.4.x) makes a slice of the
// announced length before it reads a single element, and a byte slice of
// a binary value's announced length, and the code tinylib/msgp generates
// makes its slices and maps so: five bytes announcing 2^32 elements would
// have the process allocate tens of gigabytes, and die. Deeply nested arrays
// would have a recursive decoder exhaust its stack, which kills the
// process too. [Skip] walks a value first and fails unless every length it
// announces fits in the bytes that follow and its nesting stays within a
// bound, so that what a decoder then allocates is bounded by the size of
// the data. [Check] does the same for a decoder's input, quicker when the
// data is short.
package msgpackcheck

import (
	"encoding/binary"
	"errors"
	"fmt"
)

var (
	// ErrTruncated means the data ends inside a value, or announces more
	// than what follows.
	ErrTruncated = errors.New("msgpack: unexpected end of data")
	// ErrTooDeep means arrays and maps nest beyond the bound given.
	ErrTooDeep = errors.New("msgpack: values nested too deeply")
	// ErrInvalid means a type byte that MessagePack never uses (0xc1).
	ErrInvalid = errors.New("msgpack: invalid type byte 0xc1")
)

// MaxDepth is a bound on nesting for values of any origin: the same as
// encoding/json's.
const MaxDepth = 10000

// quickLen is the longest data Check may pass without walking it.
const quickLen = MaxDepth

// Check returns an error, as [Skip] would, if b could have a decoder
// allocate much more than b's size warrants or recurse deeper than
// [MaxDepth]: if the value b starts with announces an array, a map or a
// binary value longer than the bytes that follow, or nests deeper than
// MaxDepth.
//
// Unlike Skip, it does not always walk b: data of at most 10,000 bytes
// that holds no byte that may start an array or a map of more than 15
// elements (0xdc to 0xdf) nor a binary value of more than 65,535 bytes
// (0xc6) passes at once. In such data an array or a map announces at most
// 15 elements, a binary value 64 KiB, and nesting cannot go deeper than
// the data is long; the strings and extensions of 32-bit lengths left
// unchecked are ones that decoders read in steps. A value that passes may
// still be malformed otherwise: its decoder says so.
func Check(b []byte) error {
	if len(b) <= quickLen && !mayAnnounceMuch(b) {
		return nil
	}
	_, err := Skip(b, MaxDepth)
	return err
}

// mayAnnounceMuch reports whether b holds a byte from 0xdc to 0xdf, which
// start the arrays and maps of more than 15 elements, or 0xc6, which
// starts a binary value of up to 4 GiB, 8 bytes at a time.
func mayAnnounceMuch(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	if len(b) < 8 {
		for _, c := range b {
			if c&0xfc == array16 || c == bin32 {
				return true
			}
		}
		return false
	}
	// In x, the bytes 0xdc-0xdf become 0-3, and in y 0xc6 becomes 0;
	// then such a byte sets its high bit in test's result, and no other
	// byte does. The last 8 bytes first, which may overlap the others,
	// then the others, two words a time.
	test := func(w uint64) uint64 {
		x, y := w^(array16*ones), w^(bin32*ones)
		return ((x-4*ones)&^x | (y-ones)&^y) & highs
	}
	found := test(binary.LittleEndian.Uint64(b[len(b)-8:]))
	for ; len(b) >= 16; b = b[16:] {
		found |= test(binary.LittleEndian.Uint64(b)) | test(binary.LittleEndian.Uint64(b[8:]))
	}
	if len(b) >= 8 {
		found |= test(binary.LittleEndian.Uint64(b))
	}
	return found != 0
}

// The type bytes Skip tells apart; the others are read from fixedSize.
const (
	fixMap   = 0x80 // 0x80-0x8f: map of up to 15 pairs
	fixArray = 0x90 // 0x90-0x9f: array of up to 15 elements
	fixStr   = 0xa0 // 0xa0-0xbf: string of up to 31 bytes
	negFix   = 0xe0 // 0xe0-0xff: -32 to -1
	float64T = 0xcb
	bin32    = 0xc6
	array16  = 0xdc
	array32  = 0xdd
	map16    = 0xde
	map32    = 0xdf
)

// Skip checks the value at the start of b and returns the bytes after it.
// Arrays and maps may nest depth levels deep: with depth 0, only empty
// ones are allowed.
func Skip(b []byte, depth int) ([]byte, error) {
	return skipItems(b, 1, depth+1)
}

// skipItems skips n values; depth is how many more levels of arrays and
// maps their containers may open, counting theirs.
func skipItems(b []byte, n uint64, depth int) ([]byte, error) {
	if n > uint64(len(b)) { // every value takes at least one byte
		return b, fmt.Errorf("%w: %d values announced, %d bytes left", ErrTruncated, n, len(b))
	}
	for ; n > 0; n-- {
		if len(b) == 0 {
			return b, ErrTruncated
		}
		if size := int(sizes[b[0]]); size != 0 {
			if size > len(b) {
				return b, ErrTruncated
			}
			b = b[size:]
			continue
		}
		var err error
		if b, err = skipValue(b, depth); err != nil {
			return b, err
		}
	}
	return b, nil
}

// sizes[c] is the size of a whole value whose type byte is c, when that
// byte says it alone; 0 for the others: arrays, maps, 0xc1, and strings,
// binary values and extensions whose length follows the type byte.
var sizes = func() (t [256]uint8) {
	for c := range 256 {
		container := c >= fixMap && c < fixStr || c >= array16 && c < negFix
		if width, _, size := fixedSize(byte(c)); !container && c != 0xc1 && width == 0 {
			t[c] = uint8(size)
		}
	}
	return t
}()

// skipValue skips one value whose size its type byte does not give
// alone (see sizes).
func skipValue(b []byte, depth int) ([]byte, error) {
	c := b[0]
	switch {
	case c >= fixMap && c < fixArray:
		return skipContainer(b[1:], 2*uint64(c&0x0f), depth)
	case c >= fixArray && c < fixStr:
		return skipContainer(b[1:], uint64(c&0x0f), depth)
	case c == array16 || c == map16:
		return skipLong(b, 2, c == map16, depth)
	case c == array32 || c == map32:
		return skipLong(b, 4, c == map32, depth)
	case c == 0xc1:
		return b, ErrInvalid
	}
	width, extra, size := fixedSize(c)
	if width == 0 {
		return skipBytes(b, uint64(size))
	}
	n, rest, err := BigEndian(b, width)
	if err != nil {
		return b, err
	}
	return skipBytes(rest, n+uint64(extra))
}

// skipContainer skips the n values of an array (or 2n of a map).
func skipContainer(b []byte, n uint64, depth int) ([]byte, error) {
	if n == 0 {
		return b, nil
	}
	if depth <= 1 {
		return b, ErrTooDeep
	}
	return skipItems(b, n, depth-1)
}

// skipLong skips an array16, array32, map16 or map32, whose count takes
// width bytes.
func skipLong(b []byte, width int, isMap bool, depth int) ([]byte, error) {
	n, rest, err := BigEndian(b, width)
	if err != nil {
		return b, err
	}
	if isMap {
		n *= 2
	}
	return skipContainer(rest, n, depth)
}

// fixedSize describes a value whose type byte c is not an array, a map or
// 0xc1.
// For a string, binary or extension value, width is the size of its length
// after c, and extra the bytes after the length (an extension's type)
// beyond that many of data. For the others width is 0 and size is the
// whole value's.
func fixedSize(c byte) (width, extra, size int) {
	switch c {
	case 0xc0, 0xc2, 0xc3: // nil, false, true
		return 0, 0, 1
	case 0xc4, 0xd9: // bin8, str8
		return 1, 0, 0
	case 0xc5, 0xda: // bin16, str16
		return 2, 0, 0
	case 0xc6, 0xdb: // bin32, str32
		return 4, 0, 0
	case 0xc7: // ext8
		return 1, 1, 0
	case 0xc8: // ext16
		return 2, 1, 0
	case 0xc9: // ext32
		return 4, 1, 0
	case 0xca: // float32
		return 0, 0, 5
	case 0xcc, 0xd0: // uint8, int8
		return 0, 0, 2
	case 0xcd, 0xd1: // uint16, int16
		return 0, 0, 3
	case 0xce, 0xd2: // uint32, int32
		return 0, 0, 5
	case 0xcf, 0xd3: // uint64, int64
		return 0, 0, 9
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext1 to fixext16: a type byte, then 1 to 16 bytes
		return 0, 0, 2 + 1<<(c-0xd4)
	case float64T:
		return 0, 0, 9
	}
	if c >= fixStr && c < fixStr+32 {
		return 0, 0, 1 + int(c&0x1f)
	}
	return 0, 0, 1 // a fixint
}

// skipBytes skips n bytes.
func skipBytes(b []byte, n uint64) ([]byte, error) {
	if n > uint64(len(b)) {
		return b, fmt.Errorf("%w: value of %d bytes, %d left", ErrTruncated, n, len(b))
	}
	return b[n:], nil
}

// BigEndian reads the big-endian unsigned integer of width bytes (1, 2,
// 4 or 8) that follows the type byte b[0], as lengths and integers are
// written, and returns the bytes after it; ErrTruncated if b ends first.
func BigEndian(b []byte, width int) (uint64, []byte, error) {
	if len(b) < 1+width {
		return 0, b, ErrTruncated
	}
	var v uint64
	for _, c := range b[1 : 1+width] {
		v = v<<8 | uint64(c)
	}
	return v, b[1+width:], nil
}
