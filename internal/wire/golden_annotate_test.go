package wire

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// This file renders golden frames as commented hex, one MessagePack value
// per line, so that a reader can check them against docs/PROTOCOL.md.

const (
	hexPerRow     = 16 // bytes per line
	commentColumn = 56 // where comments start
)

// hexWriter accumulates the lines of a .hex file.
type hexWriter struct {
	strings.Builder
}

// comment writes a comment line.
func (w *hexWriter) comment(text string) {
	w.WriteString(strings.TrimRight("# "+text, " ") + "\n")
}

// bytes writes b as hex rows indented by depth levels, with note as the
// comment of the first row.
func (w *hexWriter) bytes(b []byte, depth int, note string) {
	for first := true; first || len(b) > 0; first = false {
		row := b[:min(len(b), hexPerRow)]
		b = b[len(row):]
		line := strings.Repeat("  ", depth)
		for i, c := range row {
			if i > 0 {
				line += " "
			}
			line += fmt.Sprintf("%02x", c)
		}
		if first && note != "" {
			line += strings.Repeat(" ", max(1, commentColumn-len(line))) + "# " + note
		}
		w.WriteString(line + "\n")
	}
}

// annotateFrame renders a golden frame with a heading comment.
func annotateFrame(about string, frame []byte, node bool) string {
	var w hexWriter
	for line := range strings.SplitSeq(about, "\n") {
		w.comment(line)
	}
	w.comment("")
	w.comment("Rewritten by: go test ./internal/wire -run Golden -update")
	w.comment("Layout and meaning: docs/PROTOCOL.md.")
	w.WriteString("\n")
	if node {
		text := frame[:len(frame)-2]
		for len(text) > 0 {
			row := text[:min(len(text), hexPerRow)]
			text = text[len(row):]
			w.bytes(row, 0, string(row))
		}
		w.bytes(frame[len(frame)-2:], 0, "delimiter: two NUL bytes")
		return w.String()
	}
	w.bytes(frame[:4], 0, fmt.Sprintf("frame length: %d bytes (4-byte big-endian)", binary.BigEndian.Uint32(frame)))
	annotateEnvelope(&w, frame[4:])
	return w.String()
}

// annotateEnvelope renders a native envelope, naming each field.
func annotateEnvelope(w *hexWriter, b []byte) {
	n, rest, err := readArrayHeader(b)
	if err != nil {
		panic(err)
	}
	w.bytes(b[:len(b)-len(rest)], 0, fmt.Sprintf("envelope: array of %d", n))
	fields := []string{"kind", "id", "topic", "from", "timeout", "headers", "payload"}
	for i, name := range fields {
		label := fmt.Sprintf("[%d] %s: ", i, name)
		v := rest
		switch name {
		case "kind":
			k, next, _ := readUint(v)
			w.bytes(v[:len(v)-len(next)], 1, fmt.Sprintf("%s%d (%v)", label, k, Kind(k)))
			rest = next
		case "timeout":
			ns, next, _ := readInt(v)
			note := "0 (no deadline)"
			if ns > 0 {
				note = fmt.Sprintf("%d ns (%v)", ns, time.Duration(ns))
			}
			w.bytes(v[:len(v)-len(next)], 1, label+note)
			rest = next
		case "payload":
			rest = annotatePayload(w, v, label)
		default:
			rest = annotateValue(w, v, 1, label)
		}
	}
}

// annotatePayload renders the payload element and, when it holds one
// MessagePack value, that value.
func annotatePayload(w *hexWriter, b []byte, label string) []byte {
	if b[0] == mpNil {
		w.bytes(b[:1], 1, label+"nil (no payload)")
		return b[1:]
	}
	p, rest, err := readBin(b)
	if err != nil {
		panic(err)
	}
	header := b[:len(b)-len(rest)-len(p)]
	w.bytes(header, 1, fmt.Sprintf("%s%s, %d bytes:", label, typeName(b[0]), len(p)))
	if after, err := skip(p); err == nil && len(after) == 0 {
		annotateValue(w, p, 2, "")
	} else {
		w.bytes(p, 2, "")
	}
	return rest
}

// annotateValue renders one MessagePack value (strings, integers, nil,
// booleans, arrays and maps: what the protocol uses) and returns the rest.
func annotateValue(w *hexWriter, b []byte, depth int, label string) []byte {
	c := b[0]
	switch {
	case c == mpNil:
		w.bytes(b[:1], depth, label+"nil")
		return b[1:]
	case c == mpTrue || c == mpFalse:
		w.bytes(b[:1], depth, label+strconv.FormatBool(c == mpTrue))
		return b[1:]
	case c&^0x1f == mpFixStr || c == mpStr8 || c == mpStr16 || c == mpStr32:
		s, rest, err := readStr(b)
		if err != nil {
			panic(err)
		}
		w.bytes(b[:len(b)-len(rest)], depth, label+strconv.Quote(string(s)))
		return rest
	case c&^0x0f == mpFixArray || c == mpArray16 || c == mpArray32:
		n, rest, err := readArrayHeader(b)
		if err != nil {
			panic(err)
		}
		w.bytes(b[:len(b)-len(rest)], depth, fmt.Sprintf("%sarray of %d", label, n))
		for range n {
			rest = annotateValue(w, rest, depth+1, "")
		}
		return rest
	case c&^0x0f == mpFixMap || c == mpMap16 || c == mpMap32:
		n, rest, err := readMapHeader(b)
		if err != nil {
			panic(err)
		}
		w.bytes(b[:len(b)-len(rest)], depth, fmt.Sprintf("%smap of %d", label, n))
		for range n {
			rest = annotateValue(w, rest, depth+1, "key ")
			rest = annotateValue(w, rest, depth+2, "")
		}
		return rest
	}
	if v, rest, err := readInt(b); err == nil {
		w.bytes(b[:len(b)-len(rest)], depth, label+strconv.FormatInt(v, 10))
		return rest
	}
	if v, rest, err := readUint(b); err == nil {
		w.bytes(b[:len(b)-len(rest)], depth, label+strconv.FormatUint(v, 10))
		return rest
	}
	rest, err := skip(b)
	if err != nil {
		panic(err)
	}
	w.bytes(b[:len(b)-len(rest)], depth, label+typeName(c))
	return rest
}
