package wire

import (
	"fmt"
	"math"
	"time"
	"unicode/utf8"
)

// nativeDecoder decodes native envelopes for one connection.
type nativeDecoder struct {
	in interner
	// The last topic and from read: most messages repeat them, and
	// comparing with them is quicker than looking them up.
	topic, from string
}

// malformed wraps err, found in the named part of a message, with
// ErrMalformed.
func malformed(what string, err error) error {
	return fmt.Errorf("%w: %s: %w", ErrMalformed, what, err)
}

func (d *nativeDecoder) Decode(b []byte, e *Envelope) error {
	n, rest, err := readArrayHeader(b)
	if err != nil {
		return malformed("envelope", err)
	}
	if n < envelopeLen {
		return fmt.Errorf("%w: envelope has %d elements, want at least %d", ErrMalformed, n, envelopeLen)
	}
	var v Envelope
	kind, rest, err := readUint(rest)
	if err != nil {
		return malformed("envelope kind", err)
	}
	if kind == 0 || kind > math.MaxUint8 {
		return fmt.Errorf("%w: envelope kind %d out of range 1-255", ErrMalformed, kind)
	}
	v.Kind = Kind(kind)
	if v.ID, rest, err = readUint(rest); err != nil {
		return malformed("envelope id", err)
	}
	if v.Topic, rest, err = d.readStr(rest, &d.topic); err != nil {
		return malformed("envelope topic", err)
	}
	if v.From, rest, err = d.readStr(rest, &d.from); err != nil {
		return malformed("envelope from", err)
	}
	timeout, rest, err := readInt(rest)
	if err != nil {
		return malformed("envelope timeout", err)
	}
	if timeout < 0 {
		return fmt.Errorf("%w: envelope timeout %d is negative", ErrMalformed, timeout)
	}
	v.Timeout = time.Duration(timeout)
	if v.Headers, rest, err = readHeaders(rest); err != nil {
		return malformed("envelope headers", err)
	}
	if v.Payload, rest, err = readBin(rest); err != nil {
		return malformed("envelope payload", err)
	}
	for i := envelopeLen; i < n; i++ {
		if rest, err = skip(rest); err != nil {
			return malformed(fmt.Sprintf("envelope element %d", i), err)
		}
	}
	if len(rest) != 0 {
		return fmt.Errorf("%w: %d bytes after the envelope", ErrMalformed, len(rest))
	}
	*e = v
	return nil
}

// readStr reads a string through the decoder's interning table, or
// returns *last if it is the same, and makes it the last otherwise.
func (d *nativeDecoder) readStr(b []byte, last *string) (string, []byte, error) {
	s, rest, err := readStr(b)
	if err != nil {
		return "", b, err
	}
	if string(s) == *last { // this comparison does not allocate
		return *last, rest, nil
	}
	v, ok := d.in.intern(s)
	if !ok {
		return "", b, errNotUTF8
	}
	*last = v
	return v, rest, nil
}

// readHeaders reads the headers element: nil, or a map of string to
// string. An empty map gives nil.
func readHeaders(b []byte) (map[string]string, []byte, error) {
	if isNil(b) {
		return nil, b[1:], nil
	}
	n, rest, err := readMapHeader(b)
	if err != nil || n == 0 {
		return nil, rest, err
	}
	h := make(map[string]string, min(n, 16))
	for range n {
		var k, v string
		if k, rest, err = readString(rest); err != nil {
			return nil, b, err
		}
		if v, rest, err = readString(rest); err != nil {
			return nil, b, err
		}
		h[k] = v
	}
	return h, rest, nil
}

// readString reads a string that must be valid UTF-8 and returns a copy.
func readString(b []byte) (string, []byte, error) {
	s, rest, err := readStr(b)
	if err != nil {
		return "", b, err
	}
	if !utf8.Valid(s) {
		return "", b, errNotUTF8
	}
	return string(s), rest, nil
}
