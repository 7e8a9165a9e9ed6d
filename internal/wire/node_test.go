package wire

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestNodeAppend(t *testing.T) {
	tests := []struct {
		name    string
		topic   string
		payload string
		want    string
	}{
		{"object", "chat.hello", `{"text":"hi"}`, `{"topic":"chat.hello","message":{"text":"hi"}}`},
		{"string", "hello", `"world"`, `{"topic":"hello","message":"world"}`},
		{"null", "t", `null`, `{"topic":"t","message":null}`},
		{"number", "t", `1.5e3`, `{"topic":"t","message":1.5e3}`},
		{"empty payload", "x", ``, `{"topic":"x"}`},
		{"empty topic", "", `1`, `{"topic":"","message":1}`},
		{"whitespace trimmed", "t", " \n{ \"a\" : 1 }\t", `{"topic":"t","message":{ "a" : 1 }}`},
		{"NUL in topic", "a\x00b", `1`, `{"topic":"a\u0000b","message":1}`},
		{"escapes", "q\"\\\n\t<>&\u2028\x7f", `1`, `{"topic":"q\"\\\n\t\u003c\u003e\u0026\u2028` + "\x7f" + `","message":1}`},
		{"invalid UTF-8 topic", "a\xffb", `1`, `{"topic":"a\ufffdb","message":1}`},
		{"escaped NUL in payload", "t", `"\u0000"`, `{"topic":"t","message":"\u0000"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Envelope{Kind: KindPublish, Topic: tt.topic, Payload: []byte(tt.payload), ID: 5, From: "x", Headers: map[string]string{"a": "b"}}
			if tt.payload == "" {
				e.Payload = nil
			}
			got, err := Node.Append([]byte("pre"), &e)
			noErr(t, err, "Append")
			equal(t, string(got), "pre"+tt.want, "text")
			if bytes.IndexByte(got, 0) >= 0 {
				t.Fatal("output holds a NUL byte")
			}
			if !json.Valid(got[3:]) {
				t.Fatal("output is not valid JSON")
			}
		})
	}
}

func TestNodeAppendRejects(t *testing.T) {
	tests := []struct {
		name string
		e    Envelope
		want error
	}{
		{"request", Envelope{Kind: KindRequest, Topic: "t", Payload: []byte("1")}, ErrUnsupportedKind},
		{"hello", Envelope{Kind: KindHello}, ErrUnsupportedKind},
		{"kind 0", Envelope{}, ErrUnsupportedKind},
		{"NUL in payload", Envelope{Kind: KindPublish, Payload: []byte("\"a\x00\"")}, ErrInvalidPayload},
		{"NUL after payload", Envelope{Kind: KindPublish, Payload: []byte("1\x00")}, ErrInvalidPayload},
		{"not JSON", Envelope{Kind: KindPublish, Payload: []byte("{")}, ErrInvalidPayload},
		{"two values", Envelope{Kind: KindPublish, Payload: []byte("1 2")}, ErrInvalidPayload},
		{"only whitespace", Envelope{Kind: KindPublish, Payload: []byte("  ")}, ErrInvalidPayload},
		{"invalid UTF-8", Envelope{Kind: KindPublish, Payload: []byte("\"\xff\"")}, ErrInvalidPayload},
		{"msgpack", Envelope{Kind: KindPublish, Payload: []byte{0x81, 0xa1, 'a', 1}}, ErrInvalidPayload},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Node.Append([]byte("pre"), &tt.e)
			isErr(t, err, tt.want, "Append")
			equal(t, string(got), "pre", "dst on error")
		})
	}
}

func TestNodeDecode(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		topic string
		msg   []byte
	}{
		{"object", `{"topic":"chat.hello","message":{"text":"hi"}}`, "chat.hello", []byte(`{"text":"hi"}`)},
		{"seed example", `{"topic":"hello","message":"world"}`, "hello", []byte(`"world"`)},
		{"no message", `{"topic":"x"}`, "x", nil},
		{"null message", `{"topic":"x","message":null}`, "x", []byte("null")},
		{"empty topic", `{"topic":"","message":1}`, "", []byte("1")},
		{"message first", `{"message":[1,{"a":[]}],"topic":"t"}`, "t", []byte(`[1,{"a":[]}]`)},
		{"whitespace", " \r\n\t{ \"topic\" : \"t\" ,\n \"message\" : 12 } \n", "t", []byte("12")},
		{"number message", `{"topic":"t","message":-1.5e-3}`, "t", []byte("-1.5e-3")},
		{"other keys", `{"id":1,"topic":"t","extra":{"message":2},"message":3}`, "t", []byte("3")},
		{"escaped key", `{"\u0074opic":"t","message":true}`, "t", []byte("true")},
		{"escaped NUL topic", `{"topic":"a\u0000b"}`, "a\x00b", nil},
		{"unicode topic", `{"topic":"\u00e9t\u00e9 🌞"}`, "été 🌞", nil},
		{"last topic wins", `{"topic":"a","topic":"b"}`, "b", nil},
		{"keys are case-sensitive", `{"Topic":"a","topic":"b","Message":1}`, "b", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(tt.in)
			e := Envelope{ID: 9, From: "x", Timeout: 1, Headers: map[string]string{}}
			noErr(t, Node.NewDecoder().Decode(in, &e), "Decode")
			equal(t, e, Envelope{Kind: KindPublish, Topic: tt.topic, Payload: tt.msg}, "envelope")
			if len(e.Payload) > 0 {
				i := bytes.Index(in, tt.msg)
				if &e.Payload[0] != &in[i] {
					t.Fatal("Payload does not alias the input")
				}
			}
		})
	}
}

func TestNodeDecodeRejects(t *testing.T) {
	tests := map[string]string{
		"empty":            ``,
		"whitespace":       "  \n",
		"not JSON":         `{"topic":`,
		"trailing garbage": `{"topic":"t"} x`,
		"two objects":      `{"topic":"t"}{"topic":"u"}`,
		"array":            `[{"topic":"t"}]`,
		"string":           `"topic"`,
		"null":             `null`,
		"missing topic":    `{"message":1}`,
		"empty object":     `{}`,
		"topic number":     `{"topic":1}`,
		"topic null":       `{"topic":null}`,
		"topic object":     `{"topic":{"a":"b"}}`,
		"invalid UTF-8":    "{\"topic\":\"\xff\"}",
		"bad UTF-8 value":  "{\"topic\":\"t\",\"message\":\"\xc3\x28\"}",
		"raw NUL":          "{\"topic\":\"t\x00\"}",
		"single quotes":    `{'topic':'t'}`,
		"delimiter left":   "{\"topic\":\"t\"}\x00\x00",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			before := Envelope{Kind: KindPing}
			e := before
			isErr(t, Node.NewDecoder().Decode([]byte(in), &e), ErrMalformed, "Decode")
			equal(t, e, before, "envelope after a failed decode")
		})
	}
}

func TestNodeRoundTrip(t *testing.T) {
	for _, v := range []any{map[string]any{"text": "hi"}, "x\x00y", nil, 1.5, []any{}, strings.Repeat("é", 100)} {
		payload, err := json.Marshal(v)
		noErr(t, err, "json.Marshal")
		for _, topic := range []string{"", "t", "a\x00\x01\"\\</script>", "\u2029"} {
			in := Envelope{Kind: KindPublish, Topic: topic, Payload: payload}
			b, err := Node.Append(nil, &in)
			noErr(t, err, "Append")
			var out Envelope
			noErr(t, Node.NewDecoder().Decode(b, &out), "Decode")
			equal(t, out, in, "envelope")
		}
	}
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{
		"", "plain", "\x00\x01\x1f\x20\x7f", "\b\f\n\r\t", `"\/`, "<a href='x'>&amp;</a>",
		"\u2028\u2029\u2027\u202a", "été 🌞", "\xff", "a\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\ufffd",
	} {
		want, err := json.Marshal(s)
		noErr(t, err, "json.Marshal")
		equal(t, string(appendJSONString(nil, s)), string(want), "escaped "+strings.ToValidUTF8(s, "?"))
	}
}
