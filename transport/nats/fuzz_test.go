package nats

import (
	"errors"
	"testing"

	natsgo "github.com/nats-io/nats.go"
)

// FuzzDecode feeds arbitrary bytes to every decoder of the transport's
// messages: each must fail cleanly, never panic. Run with
//
//	go test -fuzz FuzzDecode .
func FuzzDecode(f *testing.F) {
	f.Add(dial{version: version, id: "abc", win: window{frames: 8, bytes: 1024}}.append(nil)[1:])
	f.Add(accepted{id: "def", win: window{frames: 1, bytes: 1}}.append(nil)[1:])
	f.Add(claimed{id: "ghi", listening: true}.append(nil)[1:])
	f.Add(appendData(nil, 1, 0, []byte("frame"))[1:])
	f.Add(appendSync(nil, 3, 2, syncAnswer)[1:])
	f.Add(appendFin(nil, 7, "why")[1:])
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = decodeDial(b)
		_, _ = decodeAccepted(b)
		_, _ = decodeClaimed(b)
		_, _ = decodeClaim(b)
		_, _ = answer(b)
		d := decoder{b: b}
		d.uvarint()
		d.uvarint()
		d.byte()
		_ = d.done("any")
	})
}

// Every message type reaches a connection's handler intact or ends the
// connection with a protocol error; none panics.
func TestMalformedMessagesEndTheConnection(t *testing.T) {
	for _, b := range [][]byte{
		{},
		{'?'},
		{msgData},
		{msgData, 0x80},
		{msgAck},
		{msgAck, 1, 2},
		{msgSync, 1},
		{msgFin},
	} {
		srv, _ := linkPair(t)
		srv.onMsg(&natsgo.Msg{Data: b})
		if _, err := srv.ReadMessage(); !errors.Is(err, ErrProtocol) {
			t.Fatalf("%q: got %v, want a protocol error", b, err)
		}
	}
}
