package nats

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The first byte of every message the transport publishes says what it is.
// The layout of each is in docs/PROTOCOL.md, "Subject layout".
const (
	// On a connection's subjects.
	msgOpen  = 'O' // dialer: the connection is taken (first message)
	msgData  = 'D' // seq, ack, frame
	msgAck   = 'A' // ack
	msgProbe = 'P' // the sender waits for window: ack what you consumed
	msgSync  = 'S' // received, ack, flags: resend what I miss
	msgFin   = 'F' // last seq, reason: the sender closed

	// On a listener's accept subject, and the answers.
	msgDial    = 'd' // version, client-side id, window
	msgAccept  = 'k' // server-side id, window
	msgRefuse  = 'r' // reason
	msgClaim   = 'c' // listener id
	msgClaimed = 'l' // listener id, state
)

// version is the version of this transport's protocol, sent in dials.
const version = 1

// syncAnswer in a sync's flags asks the peer to answer with its own sync.
const syncAnswer = 1

// dataHeaderMax is the largest header of a data message: a type byte and
// two uvarints.
const dataHeaderMax = 1 + 2*binary.MaxVarintLen64

// errMalformed is wrapped by every decoding failure.
var errMalformed = errors.New("malformed message")

// appendData appends a data message carrying frame p.
func appendData(b []byte, seq, ack uint64, p []byte) []byte {
	b = append(b, msgData)
	b = binary.AppendUvarint(b, seq)
	b = binary.AppendUvarint(b, ack)
	return append(b, p...)
}

// appendSync appends a sync message.
func appendSync(b []byte, received, ack uint64, flags byte) []byte {
	b = append(b, msgSync)
	b = binary.AppendUvarint(b, received)
	b = binary.AppendUvarint(b, ack)
	return append(b, flags)
}

// appendFin appends a close notice.
func appendFin(b []byte, last uint64, reason string) []byte {
	b = append(b, msgFin)
	b = binary.AppendUvarint(b, last)
	return append(b, reason...)
}

func appendAck(b []byte, ack uint64) []byte {
	return binary.AppendUvarint(append(b, msgAck), ack)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// dial is a dial request.
type dial struct {
	version uint64
	id      string // the dialer's side of the connection
	win     window // the dialer's receive window
}

func (d dial) append(b []byte) []byte {
	b = binary.AppendUvarint(append(b, msgDial), d.version)
	b = appendString(b, d.id)
	return d.win.append(b)
}

// accepted is a listener's positive answer to a dial.
type accepted struct {
	id  string // the listener's side of the connection
	win window // the listener's receive window
}

func (a accepted) append(b []byte) []byte {
	return a.win.append(appendString(append(b, msgAccept), a.id))
}

// claimed is a listener's answer to a claim.
type claimed struct {
	id        string
	listening bool // established, as opposed to claiming itself
}

func (c claimed) append(b []byte) []byte {
	b = appendString(append(b, msgClaimed), c.id)
	if c.listening {
		return append(b, 1)
	}
	return append(b, 0)
}

// window is a receive window: how much a receiver holds for its reader.
type window struct {
	frames int
	bytes  int
}

func (w window) append(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(w.frames))
	return binary.AppendUvarint(b, uint64(w.bytes))
}

// decoder reads the fields of a message; the first error sticks.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errMalformed
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if d.err != nil || len(d.b) == 0 {
		d.err = errMalformed
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) string() string {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		d.err = errMalformed
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// window reads a window; sizes must be positive and fit an int.
func (d *decoder) window() window {
	f, b := d.uvarint(), d.uvarint()
	if d.err == nil && (f == 0 || b == 0 || f > 1<<31 || b > 1<<40) {
		d.err = errMalformed
	}
	return window{frames: int(f), bytes: int(b)}
}

// done fails if fields are missing or the decoder has bytes left over.
func (d *decoder) done(what string) error {
	if d.err == nil && len(d.b) > 0 {
		d.err = errMalformed
	}
	if d.err != nil {
		return fmt.Errorf("%w: %s: %w", ErrProtocol, what, d.err)
	}
	return nil
}

func decodeDial(b []byte) (dial, error) {
	d := decoder{b: b}
	v := dial{version: d.uvarint()}
	if v.version != version {
		// A later version may lay out the rest differently.
		return v, nil
	}
	v.id = d.string()
	v.win = d.window()
	return v, d.done("dial")
}

func decodeAccepted(b []byte) (accepted, error) {
	d := decoder{b: b}
	a := accepted{id: d.string()}
	a.win = d.window()
	return a, d.done("accept")
}

func decodeClaimed(b []byte) (claimed, error) {
	d := decoder{b: b}
	c := claimed{id: d.string(), listening: d.byte() == 1}
	return c, d.done("claim answer")
}

func decodeClaim(b []byte) (string, error) {
	d := decoder{b: b}
	id := d.string()
	return id, d.done("claim")
}
