package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"

	"github.com/sockipc/sockipc/codec"
)

// maxDepth bounds the nesting of a payload printed as JSON.
const maxDepth = 10000

// appendJSON appends payload, encoded with codec c, to dst as JSON text on
// one line. An empty payload is null.
//
// MessagePack is printed in the order of its bytes, whatever it holds:
// binary strings as base64 strings, map keys that are not strings as the
// JSON text of the key in a string (a key 1 becomes "1"), timestamps as
// RFC 3339 strings in UTC, other extension types as
// {"ext":TYPE,"data":BASE64}, and NaN and infinities as null, as
// JavaScript's JSON.stringify does. JSON payloads are printed compacted.
// A payload of another codec is decoded into an interface value and
// marshalled with encoding/json.
func appendJSON(dst []byte, c codec.Codec, payload []byte) ([]byte, error) {
	if len(payload) == 0 {
		return append(dst, "null"...), nil
	}
	switch c.Name() {
	case codec.MsgPack.Name():
		r := bytes.NewReader(payload)
		p := mpPrinter{r: r, d: msgpack.NewDecoder(r), b: dst}
		if err := p.value(0); err != nil {
			return dst, fmt.Errorf("invalid MessagePack: %w", err)
		}
		if r.Len() > 0 {
			return dst, fmt.Errorf("invalid MessagePack: %d bytes after the value", r.Len())
		}
		return p.b, nil
	case codec.JSON.Name():
		b := bytes.NewBuffer(dst)
		if err := json.Compact(b, payload); err != nil {
			return dst, fmt.Errorf("invalid JSON: %w", err)
		}
		return b.Bytes(), nil
	}
	var v any
	if err := c.Unmarshal(payload, &v); err != nil {
		return dst, err
	}
	out, err := json.Marshal(v)
	if err != nil {
		return dst, err
	}
	return append(dst, out...), nil
}

// mpPrinter prints one MessagePack value as JSON.
type mpPrinter struct {
	r *bytes.Reader
	d *msgpack.Decoder
	b []byte
}

func (p *mpPrinter) value(depth int) error {
	if depth > maxDepth {
		return errors.New("nested too deep")
	}
	c, err := p.d.PeekCode()
	if err != nil {
		return err
	}
	switch {
	case c == msgpcode.Nil:
		p.b = append(p.b, "null"...)
		return p.d.DecodeNil()
	case c == msgpcode.False || c == msgpcode.True:
		v, err := p.d.DecodeBool()
		p.b = strconv.AppendBool(p.b, v)
		return err
	case c == msgpcode.Uint64:
		v, err := p.d.DecodeUint64()
		p.b = strconv.AppendUint(p.b, v, 10)
		return err
	case msgpcode.IsFixedNum(c) || c == msgpcode.Uint8 || c == msgpcode.Uint16 || c == msgpcode.Uint32 ||
		c == msgpcode.Int8 || c == msgpcode.Int16 || c == msgpcode.Int32 || c == msgpcode.Int64:
		v, err := p.d.DecodeInt64()
		p.b = strconv.AppendInt(p.b, v, 10)
		return err
	case c == msgpcode.Float:
		v, err := p.d.DecodeFloat32()
		p.appendFloat(float64(v), v)
		return err
	case c == msgpcode.Double:
		v, err := p.d.DecodeFloat64()
		p.appendFloat(v, v)
		return err
	case msgpcode.IsString(c):
		v, err := p.d.DecodeString()
		p.b = appendString(p.b, v)
		return err
	case msgpcode.IsBin(c):
		v, err := p.d.DecodeBytes()
		p.appendBase64(v)
		return err
	case msgpcode.IsFixedArray(c) || c == msgpcode.Array16 || c == msgpcode.Array32:
		return p.array(depth)
	case msgpcode.IsFixedMap(c) || c == msgpcode.Map16 || c == msgpcode.Map32:
		return p.object(depth)
	case msgpcode.IsExt(c):
		return p.ext()
	}
	return fmt.Errorf("unknown type code 0x%02x", c)
}

func (p *mpPrinter) array(depth int) error {
	n, err := p.d.DecodeArrayLen()
	if err != nil {
		return err
	}
	p.b = append(p.b, '[')
	for i := range n {
		if i > 0 {
			p.b = append(p.b, ',')
		}
		if err := p.value(depth + 1); err != nil {
			return err
		}
	}
	p.b = append(p.b, ']')
	return nil
}

func (p *mpPrinter) object(depth int) error {
	n, err := p.d.DecodeMapLen()
	if err != nil {
		return err
	}
	p.b = append(p.b, '{')
	for i := range n {
		if i > 0 {
			p.b = append(p.b, ',')
		}
		if err := p.key(depth + 1); err != nil {
			return err
		}
		p.b = append(p.b, ':')
		if err := p.value(depth + 1); err != nil {
			return err
		}
	}
	p.b = append(p.b, '}')
	return nil
}

// key prints a map key: a string as it is, any other value as its JSON
// text made a string, unless that text already is one (base64, a time).
func (p *mpPrinter) key(depth int) error {
	start := len(p.b)
	if err := p.value(depth); err != nil {
		return err
	}
	if p.b[start] == '"' {
		return nil
	}
	text := string(p.b[start:])
	p.b = appendString(p.b[:start], text)
	return nil
}

// ext prints an extension value: a timestamp (type -1) as an RFC 3339
// string, any other as {"ext":TYPE,"data":BASE64}.
func (p *mpPrinter) ext() error {
	typ, n, err := p.d.DecodeExtHeader()
	if err != nil {
		return err
	}
	if n > p.r.Len() {
		return fmt.Errorf("extension of %d bytes in %d", n, p.r.Len())
	}
	data := make([]byte, n)
	if err := p.d.ReadFull(data); err != nil {
		return err
	}
	if typ == -1 {
		t, err := timestamp(data)
		if err != nil {
			return err
		}
		p.b = append(p.b, '"')
		p.b = t.UTC().AppendFormat(p.b, time.RFC3339Nano)
		p.b = append(p.b, '"')
		return nil
	}
	p.b = append(p.b, `{"ext":`...)
	p.b = strconv.AppendInt(p.b, int64(typ), 10)
	p.b = append(p.b, `,"data":`...)
	p.appendBase64(data)
	p.b = append(p.b, '}')
	return nil
}

// timestamp decodes the data of the MessagePack timestamp extension.
func timestamp(b []byte) (time.Time, error) {
	switch len(b) {
	case 4:
		return time.Unix(int64(binary.BigEndian.Uint32(b)), 0), nil
	case 8:
		v := binary.BigEndian.Uint64(b)
		return time.Unix(int64(v&(1<<34-1)), int64(v>>34)), nil
	case 12:
		return time.Unix(int64(binary.BigEndian.Uint64(b[4:])), int64(binary.BigEndian.Uint32(b))), nil
	}
	return time.Time{}, fmt.Errorf("timestamp of %d bytes", len(b))
}

// appendFloat prints v (a float32 or float64 equal to f) as encoding/json
// does; NaN and the infinities, which JSON lacks, as null.
func (p *mpPrinter) appendFloat(f float64, v any) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		p.b = append(p.b, "null"...)
		return
	}
	out, _ := json.Marshal(v) // cannot fail for a finite float
	p.b = append(p.b, out...)
}

func (p *mpPrinter) appendBase64(v []byte) {
	p.b = append(p.b, '"')
	p.b = base64.StdEncoding.AppendEncode(p.b, v)
	p.b = append(p.b, '"')
}

// appendString appends s as a JSON string, without the HTML escapes of
// encoding/json; invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r == '\t':
			b = append(b, `\t`...)
		case r < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[r>>4], hex[r&0xf])
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
