package codec

import (
	"bytes"
	"encoding/json"
)

// JSON is the encoding/json codec. It is slower than [MsgPack] and turns
// every JSON number into float64 when decoding into an interface value, but
// its payloads are readable on the wire, and it is the codec of the Node.js
// compatibility mode.
var JSON Codec = jsonCodec{}

type jsonCodec struct{}

func (jsonCodec) Name() string { return "json" }

func (jsonCodec) Marshal(v any) ([]byte, error) { return json.Marshal(v) }

func (jsonCodec) AppendMarshal(dst []byte, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return dst, err
	}
	return append(dst, b...), nil
}

func (jsonCodec) Unmarshal(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		// An absent payload decodes as the zero value, like a missing
		// "message" key does in the Node.js wire format.
		return nil
	}
	return json.Unmarshal(data, v)
}
