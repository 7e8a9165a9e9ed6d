package wire

import (
	"fmt"
	"math"
)

// This file holds what the handshake payloads share: each is a MessagePack
// map with string keys, in which unknown keys are skipped, missing keys and
// nil values leave the zero value, and a repeated key's last value wins.

// fieldFunc reads the value of key from the front of b and returns the
// rest. It returns known false, having read nothing, for a key it does not
// know.
type fieldFunc func(key string, b []byte) (rest []byte, known bool, err error)

// decodeMap decodes the handshake map b, named what in errors, handing each
// key to field. The map must fill b exactly.
func decodeMap(what string, b []byte, field fieldFunc) error {
	n, rest, err := readMapHeader(b)
	if err != nil {
		return malformed(what, err)
	}
	for range n {
		var key []byte
		if key, rest, err = readStr(rest); err != nil {
			return malformed(what+" key", err)
		}
		next, known, err := field(string(key), rest)
		if err != nil {
			return malformed(fmt.Sprintf("%s %q", what, key), err)
		}
		if !known {
			if next, err = skip(rest); err != nil {
				return malformed(fmt.Sprintf("%s %q", what, key), err)
			}
		}
		rest = next
	}
	if len(rest) != 0 {
		return fmt.Errorf("%w: %d bytes after the %s", ErrMalformed, len(rest), what)
	}
	return nil
}

// readSize reads a non-negative integer or nil (0) that must fit an int.
func readSize(b []byte) (int, []byte, error) {
	v, rest, err := readNonNeg(b)
	if err == nil && v > math.MaxInt {
		return 0, b, fmt.Errorf("integer %d out of range", v)
	}
	return int(v), rest, err
}

// readNonNeg reads a non-negative integer or nil (0).
func readNonNeg(b []byte) (int64, []byte, error) {
	if isNil(b) {
		return 0, b[1:], nil
	}
	v, rest, err := readInt(b)
	if err == nil && v < 0 {
		return 0, b, fmt.Errorf("negative integer %d", v)
	}
	return v, rest, err
}

// readText reads a UTF-8 string or nil ("") and returns a copy.
func readText(b []byte) (string, []byte, error) {
	if isNil(b) {
		return "", b[1:], nil
	}
	return readString(b)
}

// readTexts reads an array of UTF-8 strings, or nil. An empty array gives
// nil. The slice grows with the strings actually read, never ahead of them
// by more than a small amount, whatever the announced length.
func readTexts(b []byte) ([]string, []byte, error) {
	if isNil(b) {
		return nil, b[1:], nil
	}
	n, rest, err := readArrayHeader(b)
	if err != nil || n == 0 {
		return nil, rest, err
	}
	list := make([]string, 0, min(n, 64))
	for range n {
		var s string
		if s, rest, err = readString(rest); err != nil {
			return nil, b, err
		}
		list = append(list, s)
	}
	return list, rest, nil
}

// appendKey appends a map key.
func appendKey(dst []byte, key string) []byte { return appendStr(dst, key) }
