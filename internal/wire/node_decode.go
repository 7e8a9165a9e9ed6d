package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// nodeDecoder decodes messages of the Node.js format. It keeps no state.
type nodeDecoder struct{}

func (nodeDecoder) Decode(b []byte, e *Envelope) error {
	if !utf8.Valid(b) {
		return fmt.Errorf("%w: node message is not valid UTF-8", ErrMalformed)
	}
	if !json.Valid(b) {
		return fmt.Errorf("%w: node message is not valid JSON", ErrMalformed)
	}
	if t := bytes.TrimLeft(b, " \t\r\n"); t[0] != '{' { // valid JSON is never empty
		return fmt.Errorf("%w: node message is not a JSON object", ErrMalformed)
	}
	var (
		topic    string
		hasTopic bool
		payload  []byte
	)
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // the opening brace
		return malformed("node message", err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return malformed("node message", err)
		}
		key, _ := tok.(string) // object keys are always strings
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return malformed(fmt.Sprintf("node message %q", key), err)
		}
		switch key {
		case "topic":
			if raw[0] != '"' {
				return fmt.Errorf("%w: node message topic is not a string", ErrMalformed)
			}
			if err := json.Unmarshal(raw, &topic); err != nil {
				return malformed("node message topic", err)
			}
			hasTopic = true
		case "message":
			payload = inPlace(b, raw, dec.InputOffset())
		}
	}
	if !hasTopic {
		return fmt.Errorf("%w: node message has no topic", ErrMalformed)
	}
	*e = Envelope{Kind: KindPublish, Topic: topic, Payload: payload}
	return nil
}

// inPlace returns the bytes of b that hold raw, the value the decoder has
// just read and which ends at offset end, so that the payload aliases the
// message like the native one does. It falls back to raw, a copy, should
// the offsets ever disagree.
func inPlace(b, raw []byte, end int64) []byte {
	start := end - int64(len(raw))
	if start < 0 || end > int64(len(b)) || !bytes.Equal(b[start:end], raw) {
		return raw
	}
	return b[start:end:end]
}
