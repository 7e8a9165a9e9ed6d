package wire

import (
	"errors"
	"fmt"
)

// maxDepth bounds the nesting of arrays and maps that skip walks through,
// so that hostile input cannot exhaust the stack.
const maxDepth = 32

// errTooDeep means a value nests arrays and maps more than maxDepth deep.
var errTooDeep = errors.New("values nested too deeply")

// skip skips one MessagePack value of any type, whatever it contains, and
// returns the rest of b. It is how decoders step over the fields and keys
// that a later version of the protocol may add.
func skip(b []byte) ([]byte, error) { return skipValue(b, maxDepth) }

// skipValue skips one value; depth is how many more levels of arrays and
// maps may be entered.
func skipValue(b []byte, depth int) ([]byte, error) {
	if len(b) == 0 {
		return b, errTruncated
	}
	c := b[0]
	switch {
	case c < mpFixMap || c >= mpNegFix:
		return b[1:], nil
	case c < mpFixArray:
		return skipItems(b[1:], 2*uint64(c&0x0f), depth)
	case c < mpFixStr:
		return skipItems(b[1:], uint64(c&0x0f), depth)
	case c < mpNil:
		return skipBytes(b[1:], uint64(c&0x1f))
	}
	switch c {
	case mpNil, mpFalse, mpTrue:
		return b[1:], nil
	case mpBin8, mpStr8:
		return skipSized(b, 1, 0)
	case mpBin16, mpStr16:
		return skipSized(b, 2, 0)
	case mpBin32, mpStr32:
		return skipSized(b, 4, 0)
	case mpExt8:
		return skipSized(b, 1, 1) // the length, then a type byte
	case mpExt16:
		return skipSized(b, 2, 1)
	case mpExt32:
		return skipSized(b, 4, 1)
	case mpArray16, mpArray32, mpMap16, mpMap32:
		width, perItem := 2, uint64(1)
		if c == mpArray32 || c == mpMap32 {
			width = 4
		}
		if c == mpMap16 || c == mpMap32 {
			perItem = 2
		}
		n, rest, err := beUint(b, width)
		if err != nil {
			return b, err
		}
		return skipItems(rest, perItem*n, depth)
	}
	if n, _ := intWidth(c); n != 0 {
		return skipBytes(b[1:], uint64(n))
	}
	if n := fixedSize(c); n != 0 {
		return skipBytes(b[1:], uint64(n))
	}
	return b, &typeError{"a value", c} // 0xc1, never used
}

// fixedSize returns the number of bytes after the type byte of a float or a
// fixext (whose type byte comes first), and 0 for other type bytes.
func fixedSize(c byte) int {
	switch c {
	case mpFloat32:
		return 4
	case mpFloat64:
		return 8
	}
	if c >= mpFixExt1 && c <= mpFixExt16 {
		return 1 + 1<<(c-mpFixExt1) // type byte, then 1, 2, 4, 8 or 16 bytes
	}
	return 0
}

// skipSized skips a value whose type byte is followed by a width-byte
// length, then extra bytes, then that many bytes of data.
func skipSized(b []byte, width, extra int) ([]byte, error) {
	n, rest, err := beUint(b, width)
	if err != nil {
		return b, err
	}
	return skipBytes(rest, n+uint64(extra))
}

// skipBytes skips n bytes of data.
func skipBytes(b []byte, n uint64) ([]byte, error) {
	if n > uint64(len(b)) {
		return b, fmt.Errorf("value of %d bytes, only %d left", n, len(b))
	}
	return b[n:], nil
}

// skipItems skips the n values of an array (or 2n of a map).
func skipItems(b []byte, n uint64, depth int) ([]byte, error) {
	if n == 0 {
		return b, nil
	}
	if depth == 0 {
		return b, errTooDeep
	}
	if n > uint64(len(b)) { // every value takes at least one byte
		return b, fmt.Errorf("%d values announced, only %d bytes left", n, len(b))
	}
	var err error
	for ; n > 0; n-- {
		if b, err = skipValue(b, depth-1); err != nil {
			return b, err
		}
	}
	return b, nil
}
