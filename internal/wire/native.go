package wire

import (
	"fmt"
	"unicode/utf8"
)

// Native is the native envelope format: a MessagePack array of seven
// elements (kind, id, topic, from, timeout, headers, payload), written in
// the smallest form of each value and read in any width, with extra
// trailing elements skipped. docs/PROTOCOL.md has the full rules.
//
// Append allocates nothing when dst has room. It fails with
// [ErrUnsupportedKind] for Kind 0 and with [ErrMalformed] for an envelope
// no decoder would accept: a negative Timeout, or a string that is not
// valid UTF-8. An empty (or nil) Payload is written as nil, and empty (or
// nil) Headers as nil; headers are written in no particular order.
//
// Its decoders accept any kind from 1 to 255: whether a kind is known is
// for the caller to decide (see [Kind.Known]). A decoder interns topic and
// from strings, so that decoding an envelope whose strings it has seen
// before allocates nothing unless headers are present. A failed Decode
// leaves the envelope unchanged.
var Native Format = nativeFormat{}

// envelopeLen is the number of elements encoders write, and the least
// decoders accept.
const envelopeLen = 7

type nativeFormat struct{}

func (nativeFormat) Name() string { return "native" }

func (nativeFormat) NewDecoder() Decoder { return &nativeDecoder{} }

func (nativeFormat) Append(dst []byte, e *Envelope) ([]byte, error) {
	if err := checkEnvelope(e); err != nil {
		return dst, err
	}
	dst = append(dst, mpFixArray|envelopeLen)
	dst = appendUint(dst, uint64(e.Kind))
	dst = appendUint(dst, e.ID)
	dst = appendStr(dst, e.Topic)
	dst = appendStr(dst, e.From)
	dst = appendUint(dst, uint64(e.Timeout))
	if len(e.Headers) == 0 {
		dst = appendNil(dst)
	} else {
		dst = appendMapHeader(dst, len(e.Headers))
		for k, v := range e.Headers {
			dst = appendStr(appendStr(dst, k), v)
		}
	}
	if len(e.Payload) == 0 {
		return appendNil(dst), nil
	}
	return appendBin(dst, e.Payload), nil
}

// checkEnvelope reports why e cannot be written in the native format. It
// runs for every message sent, so the usual case (short ASCII strings, no
// headers) takes no call.
func checkEnvelope(e *Envelope) error {
	if e.Kind == 0 {
		return fmt.Errorf("%w: kind 0", ErrUnsupportedKind)
	}
	if e.Timeout < 0 {
		return fmt.Errorf("%w: negative timeout %v", ErrMalformed, e.Timeout)
	}
	if !validStr(e.Topic) {
		return strError("topic", e.Topic)
	}
	if !validStr(e.From) {
		return strError("from", e.From)
	}
	if len(e.Headers) > 0 {
		for k, v := range e.Headers {
			if !validStr(k) {
				return strError("header key", k)
			}
			if !validStr(v) {
				return strError("header value", v)
			}
		}
	}
	if !fitsLen(len(e.Payload)) {
		return fmt.Errorf("%w: payload of %d bytes is too long", ErrMalformed, len(e.Payload))
	}
	return nil
}

// validStr reports whether s can be written as a MessagePack string: it
// is valid UTF-8, and not too long.
func validStr(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return utf8.ValidString(s[i:]) && fitsLen(len(s))
		}
	}
	return fitsLen(len(s))
}

// strError says why s, the named field, is not a valid string.
func strError(field, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: %s %q is not valid UTF-8", ErrMalformed, field, s)
	}
	return fmt.Errorf("%w: %s of %d bytes is too long", ErrMalformed, field, len(s))
}
