package wire

import "math"

// This file appends MessagePack primitives, always in their smallest form.
// The format is specified at https://github.com/msgpack/msgpack/blob/master/spec.md.

// MessagePack type bytes used by this package.
const (
	mpNil      = 0xc0
	mpFalse    = 0xc2
	mpTrue     = 0xc3
	mpBin8     = 0xc4
	mpBin16    = 0xc5
	mpBin32    = 0xc6
	mpExt8     = 0xc7
	mpExt16    = 0xc8
	mpExt32    = 0xc9
	mpFloat32  = 0xca
	mpFloat64  = 0xcb
	mpUint8    = 0xcc
	mpUint16   = 0xcd
	mpUint32   = 0xce
	mpUint64   = 0xcf
	mpInt8     = 0xd0
	mpInt16    = 0xd1
	mpInt32    = 0xd2
	mpInt64    = 0xd3
	mpFixExt1  = 0xd4
	mpFixExt16 = 0xd8
	mpStr8     = 0xd9
	mpStr16    = 0xda
	mpStr32    = 0xdb
	mpArray16  = 0xdc
	mpArray32  = 0xdd
	mpMap16    = 0xde
	mpMap32    = 0xdf

	mpFixMap   = 0x80 // 0x80-0x8f: map of up to 15 pairs
	mpFixArray = 0x90 // 0x90-0x9f: array of up to 15 elements
	mpFixStr   = 0xa0 // 0xa0-0xbf: string of up to 31 bytes
	mpNegFix   = 0xe0 // 0xe0-0xff: -32 to -1
)

// appendNil appends the nil value.
func appendNil(dst []byte) []byte { return append(dst, mpNil) }

// appendUint appends v as a positive fixint, uint8, uint16, uint32 or
// uint64, whichever is smallest.
func appendUint(dst []byte, v uint64) []byte {
	switch {
	case v < 1<<7:
		return append(dst, byte(v))
	case v <= math.MaxUint8:
		return append(dst, mpUint8, byte(v))
	case v <= math.MaxUint16:
		return append(dst, mpUint16, byte(v>>8), byte(v))
	case v <= math.MaxUint32:
		return append(dst, mpUint32, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return append(dst, mpUint64, byte(v>>56), byte(v>>48), byte(v>>40), byte(v>>32),
		byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// appendInt appends v in its smallest form: the unsigned forms for v >= 0
// (as the MessagePack specification recommends), a negative fixint, int8,
// int16, int32 or int64 otherwise.
func appendInt(dst []byte, v int64) []byte {
	switch {
	case v >= 0:
		return appendUint(dst, uint64(v))
	case v >= -32:
		return append(dst, byte(v))
	case v >= math.MinInt8:
		return append(dst, mpInt8, byte(v))
	case v >= math.MinInt16:
		return append(dst, mpInt16, byte(v>>8), byte(v))
	case v >= math.MinInt32:
		return append(dst, mpInt32, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return append(dst, mpInt64, byte(v>>56), byte(v>>48), byte(v>>40), byte(v>>32),
		byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// appendLen appends the header of a value of n bytes or elements: fix is
// the fixed form's base byte and fixMax its largest length (0 when the type
// has no fixed form), then the 8-, 16- and 32-bit forms (c8 is 0 when the
// type has no 8-bit form). n must not exceed math.MaxUint32: callers check
// with fitsLen.
func appendLen(dst []byte, n int, fix byte, fixMax int, c8, c16, c32 byte) []byte {
	switch {
	case n <= fixMax:
		return append(dst, fix|byte(n))
	case c8 != 0 && n <= math.MaxUint8:
		return append(dst, c8, byte(n))
	case n <= math.MaxUint16:
		return append(dst, c16, byte(n>>8), byte(n))
	}
	return append(dst, c32, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

// fitsLen reports whether n can be the length of a MessagePack string,
// binary, array or map.
func fitsLen(n int) bool { return uint64(n) <= math.MaxUint32 }

// appendStr appends s as a fixstr, str8, str16 or str32.
func appendStr(dst []byte, s string) []byte {
	dst = appendLen(dst, len(s), mpFixStr, 31, mpStr8, mpStr16, mpStr32)
	return append(dst, s...)
}

// appendBin appends b as a bin8, bin16 or bin32.
func appendBin(dst []byte, b []byte) []byte {
	dst = appendLen(dst, len(b), 0, -1, mpBin8, mpBin16, mpBin32)
	return append(dst, b...)
}

// appendArrayHeader appends the header of an array of n elements.
func appendArrayHeader(dst []byte, n int) []byte {
	return appendLen(dst, n, mpFixArray, 15, 0, mpArray16, mpArray32)
}

// appendMapHeader appends the header of a map of n key-value pairs.
func appendMapHeader(dst []byte, n int) []byte {
	return appendLen(dst, n, mpFixMap, 15, 0, mpMap16, mpMap32)
}
