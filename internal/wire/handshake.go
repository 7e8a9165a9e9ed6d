package wire

import "time"

// Keys of the handshake maps. They are part of the protocol.
const (
	keyVersion = "version"
	keyCodec   = "codec"
	keyMax     = "max"
	keyName    = "name"
	keySubs    = "subs"
	keyID      = "id"
	keyPing    = "ping"
)

// AppendHello appends the encoding of h, the payload of a KindHello
// envelope: a MessagePack map with the keys "version", "codec", "max",
// "name" and "subs", always all five, in that order.
func AppendHello(dst []byte, h *Hello) []byte {
	dst = appendMapHeader(dst, 5)
	dst = appendInt(appendKey(dst, keyVersion), int64(h.Version))
	dst = appendStr(appendKey(dst, keyCodec), h.Codec)
	dst = appendInt(appendKey(dst, keyMax), int64(h.MaxSize))
	dst = appendStr(appendKey(dst, keyName), h.Name)
	dst = appendArrayHeader(appendKey(dst, keySubs), len(h.Subs))
	for _, s := range h.Subs {
		dst = appendStr(dst, s)
	}
	return dst
}

// DecodeHello decodes the payload of a KindHello envelope. Unknown keys are
// skipped and missing ones leave zero values. Negative numbers, strings that
// are not valid UTF-8 and bytes after the map are errors wrapping
// [ErrMalformed]. The result does not alias b.
func DecodeHello(b []byte) (Hello, error) {
	var h Hello
	err := decodeMap("hello", b, func(key string, b []byte) (rest []byte, known bool, err error) {
		switch key {
		case keyVersion:
			h.Version, rest, err = readSize(b)
		case keyCodec:
			h.Codec, rest, err = readText(b)
		case keyMax:
			h.MaxSize, rest, err = readSize(b)
		case keyName:
			h.Name, rest, err = readText(b)
		case keySubs:
			h.Subs, rest, err = readTexts(b)
		default:
			return b, false, nil
		}
		return rest, true, err
	})
	if err != nil {
		return Hello{}, err
	}
	return h, nil
}

// AppendWelcome appends the encoding of w, the payload of a KindWelcome
// envelope: a MessagePack map with the keys "version", "id", "max" and
// "ping" (nanoseconds), always all four, in that order.
func AppendWelcome(dst []byte, w *Welcome) []byte {
	dst = appendMapHeader(dst, 4)
	dst = appendInt(appendKey(dst, keyVersion), int64(w.Version))
	dst = appendStr(appendKey(dst, keyID), w.ClientID)
	dst = appendInt(appendKey(dst, keyMax), int64(w.MaxSize))
	dst = appendInt(appendKey(dst, keyPing), int64(w.Ping))
	return dst
}

// DecodeWelcome decodes the payload of a KindWelcome envelope, with the same
// rules as [DecodeHello].
func DecodeWelcome(b []byte) (Welcome, error) {
	var w Welcome
	err := decodeMap("welcome", b, func(key string, b []byte) (rest []byte, known bool, err error) {
		switch key {
		case keyVersion:
			w.Version, rest, err = readSize(b)
		case keyID:
			w.ClientID, rest, err = readText(b)
		case keyMax:
			w.MaxSize, rest, err = readSize(b)
		case keyPing:
			var ns int64
			ns, rest, err = readNonNeg(b)
			w.Ping = time.Duration(ns)
		default:
			return b, false, nil
		}
		return rest, true, err
	})
	if err != nil {
		return Welcome{}, err
	}
	return w, nil
}
