package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/sockipc/sockipc/codec"
)

// errBadJSON is wrapped by the errors of encodeJSON about its input.
var errBadJSON = errors.New("invalid JSON")

// encodeJSON turns a message given as JSON text into a payload of codec c.
//
// For MessagePack, integers that fit an int64 (or a uint64) become
// MessagePack integers and every other number a float64; object keys keep
// their order. For JSON, the text travels as it is, compacted. Any other
// codec gets the value decoded into Go values (maps, slices, int64,
// uint64, float64, string, bool, nil) to marshal.
func encodeJSON(c codec.Codec, text []byte) ([]byte, error) {
	if !utf8.Valid(text) {
		return nil, fmt.Errorf("%w: not valid UTF-8", errBadJSON)
	}
	var raw json.RawMessage
	if err := json.Unmarshal(text, &raw); err != nil { // checks all of text
		return nil, fmt.Errorf("%w: %w", errBadJSON, err)
	}
	if c.Name() == codec.JSON.Name() {
		var b bytes.Buffer
		if err := json.Compact(&b, text); err != nil {
			return nil, fmt.Errorf("%w: %w", errBadJSON, err)
		}
		return b.Bytes(), nil
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	v, err := parseJSON(dec)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errBadJSON, err)
	}
	if c.Name() == codec.MsgPack.Name() {
		var b bytes.Buffer
		if err := encodeMsgpack(msgpack.NewEncoder(&b), v); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	return c.Marshal(plain(v))
}

// object is a JSON object with its members in order.
type object []member

type member struct {
	key   string
	value any
}

// parseJSON reads one JSON value from dec, made with UseNumber: nil, a
// bool, a string, a number (converted by number), []any or object.
func parseJSON(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok := tok.(type) {
	case json.Delim:
		if tok == '[' {
			arr := []any{}
			for dec.More() {
				v, err := parseJSON(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token() // ']'
			return arr, err
		}
		obj := object{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := parseJSON(dec)
			if err != nil {
				return nil, err
			}
			obj = append(obj, member{k.(string), v})
		}
		_, err := dec.Token() // '}'
		return obj, err
	case json.Number:
		return number(tok)
	default:
		return tok, nil
	}
}

// number converts a JSON number: an int64 if it is an integer that fits,
// else a uint64 if it fits that, else a float64.
func number(n json.Number) (any, error) {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, nil
		}
		if u, err := strconv.ParseUint(s, 10, 64); err == nil {
			return u, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("number %s is out of range", s)
	}
	return f, nil
}

// encodeMsgpack writes v, a value from parseJSON, to enc.
func encodeMsgpack(enc *msgpack.Encoder, v any) error {
	switch v := v.(type) {
	case nil:
		return enc.EncodeNil()
	case bool:
		return enc.EncodeBool(v)
	case string:
		return enc.EncodeString(v)
	case int64:
		return enc.EncodeInt(v)
	case uint64:
		return enc.EncodeUint(v)
	case float64:
		return enc.EncodeFloat64(v)
	case []any:
		if err := enc.EncodeArrayLen(len(v)); err != nil {
			return err
		}
		for _, e := range v {
			if err := encodeMsgpack(enc, e); err != nil {
				return err
			}
		}
		return nil
	case object:
		if err := enc.EncodeMapLen(len(v)); err != nil {
			return err
		}
		for _, m := range v {
			if err := enc.EncodeString(m.key); err != nil {
				return err
			}
			if err := encodeMsgpack(enc, m.value); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("cannot encode %T", v)
}

// plain turns a value from parseJSON into one made of maps and slices.
func plain(v any) any {
	switch v := v.(type) {
	case []any:
		for i, e := range v {
			v[i] = plain(e)
		}
		return v
	case object:
		m := make(map[string]any, len(v))
		for _, e := range v {
			m[e.key] = plain(e.value)
		}
		return m
	}
	return v
}
