package wire

import (
	"errors"
	"fmt"
	"math"

	"github.com/sockipc/sockipc/internal/msgpackcheck"
)

// This file reads MessagePack primitives from the front of a byte slice.
// Each reader returns the value and the rest of the slice. Readers accept
// every width the format allows for a type, never allocate, and check every
// announced length against the bytes actually left before using it.
//
// Their errors describe the problem only; the caller wraps them with
// ErrMalformed and the name of the field.

// errTruncated means the data ends inside a value.
var errTruncated = errors.New("unexpected end of data")

// errNotUTF8 means a string is not valid UTF-8.
var errNotUTF8 = errors.New("string is not valid UTF-8")

// typeError means a value has a type the field does not allow.
type typeError struct {
	want string
	got  byte
}

func (e *typeError) Error() string {
	return fmt.Sprintf("want %s, got %s (0x%02x)", e.want, typeName(e.got), e.got)
}

// typeName names the MessagePack type that starts with byte c.
func typeName(c byte) string {
	switch {
	case c < mpFixMap:
		return "positive fixint"
	case c < mpFixArray:
		return "fixmap"
	case c < mpFixStr:
		return "fixarray"
	case c < mpNil:
		return "fixstr"
	case c >= mpNegFix:
		return "negative fixint"
	}
	return typeNames[c-mpNil]
}

// typeNames names the type bytes 0xc0 to 0xdf.
var typeNames = [...]string{
	"nil", "never used", "false", "true", "bin8", "bin16", "bin32",
	"ext8", "ext16", "ext32", "float32", "float64",
	"uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
	"fixext1", "fixext2", "fixext4", "fixext8", "fixext16",
	"str8", "str16", "str32", "array16", "array32", "map16", "map32",
}

// intWidth returns, for an integer type byte c other than a fixint, the
// number of bytes that follow it and whether the value is signed. It
// returns 0 for bytes that do not start an integer.
func intWidth(c byte) (n int, signed bool) {
	switch c {
	case mpUint8:
		return 1, false
	case mpUint16:
		return 2, false
	case mpUint32:
		return 4, false
	case mpUint64:
		return 8, false
	case mpInt8:
		return 1, true
	case mpInt16:
		return 2, true
	case mpInt32:
		return 4, true
	case mpInt64:
		return 8, true
	}
	return 0, false
}

// readInt reads an integer of any MessagePack integer type. An unsigned
// value above math.MaxInt64 is an error.
func readInt(b []byte) (int64, []byte, error) {
	if len(b) == 0 {
		return 0, b, errTruncated
	}
	c := b[0]
	if c < mpFixMap {
		return int64(c), b[1:], nil
	}
	if c >= mpNegFix {
		return int64(int8(c)), b[1:], nil
	}
	n, signed := intWidth(c)
	if n == 0 {
		return 0, b, &typeError{"integer", c}
	}
	u, rest, err := msgpackcheck.BigEndian(b, n)
	if err != nil {
		return 0, b, err
	}
	if !signed {
		if u > math.MaxInt64 {
			return 0, b, fmt.Errorf("integer %d out of range", u)
		}
		return int64(u), rest, nil
	}
	shift := 64 - 8*n // sign-extend the n-byte value
	return int64(u<<shift) >> shift, rest, nil
}

// readUint reads a non-negative integer of any MessagePack integer type,
// signed forms included. A negative value is an error.
func readUint(b []byte) (uint64, []byte, error) {
	if len(b) > 0 && b[0] < mpFixMap {
		return uint64(b[0]), b[1:], nil // the common case
	}
	if len(b) > 0 {
		if n, signed := intWidth(b[0]); n != 0 && !signed {
			return msgpackcheck.BigEndian(b, n)
		}
	}
	v, rest, err := readInt(b)
	if err != nil {
		return 0, b, err
	}
	if v < 0 {
		return 0, b, fmt.Errorf("negative integer %d", v)
	}
	return uint64(v), rest, nil
}

// readLen reads the length of a value whose type byte is b[0] (b must not
// be empty): fix and fixMask describe the fixed form (fixMask 0 when there
// is none), c8, c16 and c32 the 8-, 16- and 32-bit forms (c8 0 when there
// is none). ok is false when b[0] is none of them.
func readLen(b []byte, fix, fixMask, c8, c16, c32 byte) (u uint64, rest []byte, ok bool, err error) {
	c := b[0]
	switch {
	case fixMask != 0 && c&^fixMask == fix:
		return uint64(c & fixMask), b[1:], true, nil
	case c8 != 0 && c == c8:
		u, rest, err = msgpackcheck.BigEndian(b, 1)
	case c == c16:
		u, rest, err = msgpackcheck.BigEndian(b, 2)
	case c == c32:
		u, rest, err = msgpackcheck.BigEndian(b, 4)
	default:
		return 0, b, false, nil
	}
	return u, rest, true, err
}

// readBytes reads a string or binary value's header and returns its n bytes.
func readBytes(b []byte, want string, fix, fixMask, c8, c16, c32 byte) ([]byte, []byte, error) {
	if len(b) == 0 {
		return nil, b, errTruncated
	}
	n, rest, ok, err := readLen(b, fix, fixMask, c8, c16, c32)
	if !ok {
		return nil, b, &typeError{want, b[0]}
	}
	if err != nil {
		return nil, b, err
	}
	if n > uint64(len(rest)) {
		return nil, b, fmt.Errorf("%s of %d bytes, only %d left", want, n, len(rest))
	}
	return rest[:n:n], rest[n:], nil
}

// readStr reads a string (fixstr, str8, str16 or str32) and returns its
// bytes, which alias b.
func readStr(b []byte) ([]byte, []byte, error) {
	if len(b) > 0 && b[0]&^0x1f == mpFixStr { // the common case
		n := int(b[0] & 0x1f)
		if n < len(b) {
			return b[1 : 1+n : 1+n], b[1+n:], nil
		}
	}
	return readBytes(b, "str", mpFixStr, 0x1f, mpStr8, mpStr16, mpStr32)
}

// readBin reads a binary value (bin8, bin16 or bin32) or nil and returns its
// bytes, which alias b. Nil and empty binaries both give nil.
func readBin(b []byte) ([]byte, []byte, error) {
	if len(b) > 0 && b[0] == mpNil {
		return nil, b[1:], nil
	}
	if len(b) > 1 && b[0] == mpBin8 { // the common case
		if n := int(b[1]); n > 0 && n <= len(b)-2 {
			return b[2 : 2+n : 2+n], b[2+n:], nil
		}
	}
	v, rest, err := readBytes(b, "bin or nil", 0, 0, mpBin8, mpBin16, mpBin32)
	if len(v) == 0 {
		v = nil
	}
	return v, rest, err
}

// readArrayHeader reads the header of an array and returns its number of
// elements, which is at most the number of bytes left.
func readArrayHeader(b []byte) (int, []byte, error) {
	if len(b) > 0 && b[0]&^0x0f == mpFixArray { // the common case
		if n := int(b[0] & 0x0f); n < len(b) {
			return n, b[1:], nil
		}
	}
	return readCount(b, "array", mpFixArray, 0x0f, mpArray16, mpArray32, 1)
}

// readMapHeader reads the header of a map and returns its number of
// key-value pairs, which is at most half the number of bytes left.
func readMapHeader(b []byte) (int, []byte, error) {
	return readCount(b, "map", mpFixMap, 0x0f, mpMap16, mpMap32, 2)
}

// readCount reads an array or map header whose elements take at least
// perItem bytes each.
func readCount(b []byte, want string, fix, fixMask, c16, c32 byte, perItem int) (int, []byte, error) {
	if len(b) == 0 {
		return 0, b, errTruncated
	}
	n, rest, ok, err := readLen(b, fix, fixMask, 0, c16, c32)
	if !ok {
		return 0, b, &typeError{want, b[0]}
	}
	if err != nil {
		return 0, b, err
	}
	if n > uint64(len(rest)/perItem) {
		return 0, b, fmt.Errorf("%s of %d elements, only %d bytes left", want, n, len(rest))
	}
	return int(n), rest, nil
}

// isNil reports whether the next value is nil.
func isNil(b []byte) bool { return len(b) > 0 && b[0] == mpNil }
