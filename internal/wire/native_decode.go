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
	if d.decodeCommon(b, e) {
		return nil
	}
	return d.decode(b, e)
}

// decodeCommon decodes b into e, and reports true, if b has the form
// nearly every envelope takes: seven elements, a kind small enough for a
// fixint, an id and a timeout of any width, topic and from as fixstr, no
// headers, and a payload that is nil, bin8 or bin16. Otherwise it reports
// false and leaves e unchanged, and decode reads b, or says what is wrong
// with it. It takes no call for what it can read in place.
func (d *nativeDecoder) decodeCommon(b []byte, e *Envelope) bool {
	if len(b) < 8 || b[0] != mpFixArray|envelopeLen || b[1] == 0 || b[1] >= mpFixMap {
		return false
	}
	kind := Kind(b[1])
	id, rest := uint64(b[2]), b[3:]
	if b[2] >= mpFixMap {
		var err error
		if id, rest, err = readUint(b[2:]); err != nil {
			return false
		}
	}
	topic, rest, ok := d.fixStr(rest, &d.topic)
	if !ok {
		return false
	}
	from, rest, ok := d.fixStr(rest, &d.from)
	if !ok || len(rest) == 0 {
		return false
	}
	timeout := uint64(rest[0])
	if timeout < mpFixMap {
		rest = rest[1:]
	} else {
		var err error
		if timeout, rest, err = readUint(rest); err != nil || timeout > math.MaxInt64 {
			return false
		}
	}
	if len(rest) < 2 || rest[0] != mpNil {
		return false
	}
	p := rest[1:]
	var payload []byte
	switch {
	case len(p) == 1 && p[0] == mpNil:
	case p[0] == mpBin8 && len(p) > 2 && int(p[1]) == len(p)-2:
		payload = p[2:len(p):len(p)]
	case p[0] == mpBin16 && len(p) > 3 && int(p[1])<<8|int(p[2]) == len(p)-3:
		payload = p[3:len(p):len(p)]
	default:
		return false
	}
	e.Kind, e.ID, e.Topic, e.From, e.Timeout, e.Headers, e.Payload = kind, id, topic, from, time.Duration(timeout), nil, payload
	return true
}

// fixStr reads a fixstr as readStr does, and reports false for anything
// else, or a string that is not valid UTF-8.
func (d *nativeDecoder) fixStr(b []byte, last *string) (string, []byte, bool) {
	if len(b) == 0 || b[0]&^0x1f != mpFixStr {
		return "", b, false
	}
	n := int(b[0] & 0x1f)
	if n >= len(b) {
		return "", b, false
	}
	if s := b[1 : 1+n]; string(s) != *last { // this comparison does not allocate
		v, ok := d.remember(s, last)
		return v, b[1+n:], ok
	}
	return *last, b[1+n:], true
}

// remember returns s as a string from the interning table, and makes it
// *last. ok is false if s is not valid UTF-8. Callers first compare s
// with *last, which most strings repeat.
func (d *nativeDecoder) remember(s []byte, last *string) (string, bool) {
	v, ok := d.in.intern(s)
	if ok {
		*last = v
	}
	return v, ok
}

// decode is Decode for any envelope.
func (d *nativeDecoder) decode(b []byte, e *Envelope) error {
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
	v, ok := d.remember(s, last)
	if !ok {
		return "", b, errNotUTF8
	}
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
