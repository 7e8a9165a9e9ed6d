package wire

// Keys of the Status map. They are part of the protocol.
const (
	keyCode    = "code"
	keyMessage = "message"
)

// AppendStatus appends the encoding of s, the payload of KindReject and
// KindError envelopes: a MessagePack map with the keys "code" and
// "message", always both, in that order.
func AppendStatus(dst []byte, s *Status) []byte {
	dst = appendMapHeader(dst, 2)
	dst = appendStr(appendKey(dst, keyCode), s.Code)
	dst = appendStr(appendKey(dst, keyMessage), s.Message)
	return dst
}

// DecodeStatus decodes the payload of a KindReject or KindError envelope,
// with the same rules as [DecodeHello].
func DecodeStatus(b []byte) (Status, error) {
	var s Status
	err := decodeMap("status", b, func(key string, b []byte) (rest []byte, known bool, err error) {
		switch key {
		case keyCode:
			s.Code, rest, err = readText(b)
		case keyMessage:
			s.Message, rest, err = readText(b)
		default:
			return b, false, nil
		}
		return rest, true, err
	})
	if err != nil {
		return Status{}, err
	}
	return s, nil
}
