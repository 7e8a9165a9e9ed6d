package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// The seed corpora live in testdata/fuzz/<FuzzName>; TestGoldenFuzzSeeds
// writes the seeds taken from the golden frames. Crashers that fuzzing
// finds are kept there too, as regression cases.

func FuzzNativeDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		d := Native.NewDecoder()
		sentinel := Envelope{Kind: KindPing, ID: 7, Topic: "unchanged"}
		e := sentinel
		err := d.Decode(data, &e)
		// The quick path for common envelopes must agree with the general
		// one, which reads any envelope.
		var general Envelope
		gerr := Native.NewDecoder().(*nativeDecoder).decode(data, &general)
		if (err == nil) != (gerr == nil) {
			t.Fatalf("Decode says %v, the general path %v", err, gerr)
		}
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			equal(t, e, sentinel, "envelope after a failed Decode")
			return
		}
		equal(t, general, e, "decode by the general path")
		var again Envelope // a second decode goes through the interned strings
		noErr(t, d.Decode(data, &again), "second Decode")
		equal(t, again, e, "second decode")

		b, err := Native.Append(nil, &e)
		noErr(t, err, "Append of a decoded envelope")
		var back Envelope
		noErr(t, Native.NewDecoder().Decode(b, &back), "Decode of the re-encoding")
		equal(t, back, e, "after re-encoding")
		if len(b) > len(data) {
			t.Fatalf("re-encoding is longer (%d bytes) than the input (%d)", len(b), len(data))
		}
	})
}

func FuzzNativeAppend(f *testing.F) {
	f.Add(uint8(4), uint64(0), "chat.hello", "", int64(0), "", "", []byte{0x81, 0xa1, 'a', 1})
	f.Add(uint8(8), uint64(7), "math.add", "0f8b1a7e", int64(1500000000), "trace", "x", []byte{})
	f.Fuzz(func(t *testing.T, kind uint8, id uint64, topic, from string, timeout int64, hk, hv string, payload []byte) {
		e := Envelope{Kind: Kind(kind), ID: id, Topic: topic, From: from, Timeout: time.Duration(timeout), Payload: payload}
		if hk != "" {
			e.Headers = map[string]string{hk: hv}
		}
		b, err := Native.Append(nil, &e)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupportedKind) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		equal(t, b, refEnvelope(t, &e), "encoding")
		var got Envelope
		noErr(t, Native.NewDecoder().Decode(b, &got), "Decode")
		if len(e.Payload) == 0 {
			e.Payload = nil
		}
		equal(t, got, e, "round trip")
	})
}

func FuzzHandshakeDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if h, err := DecodeHello(data); err == nil {
			got, err := DecodeHello(AppendHello(nil, &h))
			noErr(t, err, "DecodeHello of the re-encoding")
			equal(t, got, h, "hello after re-encoding")
		} else if !errors.Is(err, ErrMalformed) {
			t.Fatalf("DecodeHello error %v does not wrap ErrMalformed", err)
		}
		if w, err := DecodeWelcome(data); err == nil {
			got, err := DecodeWelcome(AppendWelcome(nil, &w))
			noErr(t, err, "DecodeWelcome of the re-encoding")
			equal(t, got, w, "welcome after re-encoding")
		} else if !errors.Is(err, ErrMalformed) {
			t.Fatalf("DecodeWelcome error %v does not wrap ErrMalformed", err)
		}
		if s, err := DecodeStatus(data); err == nil {
			got, err := DecodeStatus(AppendStatus(nil, &s))
			noErr(t, err, "DecodeStatus of the re-encoding")
			equal(t, got, s, "status after re-encoding")
		} else if !errors.Is(err, ErrMalformed) {
			t.Fatalf("DecodeStatus error %v does not wrap ErrMalformed", err)
		}
	})
}

func FuzzNodeDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		var e Envelope
		if err := Node.NewDecoder().Decode(data, &e); err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		equal(t, e.Kind, KindPublish, "kind")
		b, err := Node.Append(nil, &e)
		noErr(t, err, "Append of a decoded envelope")
		if bytes.IndexByte(b, 0) >= 0 {
			t.Fatalf("output %q holds a NUL byte", b)
		}
		var back Envelope
		noErr(t, Node.NewDecoder().Decode(b, &back), "Decode of the re-encoding")
		equal(t, back, e, "after re-encoding")
	})
}

func FuzzNodeAppend(f *testing.F) {
	f.Add("chat.hello", []byte(`{"text":"hi"}`))
	f.Add("a\x00\xff", []byte(" \"\\u0000\" "))
	f.Add("", []byte{})
	f.Add("t", []byte(`["é",{"ü":1}]`))
	f.Add("t", []byte("\"\xff\"")) // json.Valid accepts invalid UTF-8: Append must not
	f.Fuzz(func(t *testing.T, topic string, payload []byte) {
		in := Envelope{Kind: KindPublish, Topic: topic, Payload: payload}
		b, err := Node.Append(nil, &in)
		if err != nil {
			if !errors.Is(err, ErrInvalidPayload) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if bytes.IndexByte(b, 0) >= 0 {
			t.Fatalf("output %q holds a NUL byte", b)
		}
		var out Envelope
		noErr(t, Node.NewDecoder().Decode(b, &out), "Decode")
		quoted, _ := json.Marshal(topic)
		var want string // the topic as JSON carries it: invalid UTF-8 replaced
		noErr(t, json.Unmarshal(quoted, &want), "json.Unmarshal")
		equal(t, out.Topic, want, "topic")
		if p := bytes.TrimSpace(payload); len(p) > 0 {
			equal(t, out.Payload, p, "payload")
		} else {
			equal(t, out.Payload, []byte(nil), "payload")
		}
	})
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "a\x00\"\\<>&\u2028\xff", "\xed\xa0\x80é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		noErr(t, err, "json.Marshal")
		equal(t, string(appendJSONString(nil, s)), string(want), "escaping")
	})
}
