package wire

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vmihailenco/msgpack/v5"
)

// update rewrites the golden files from the encoders:
//
//	go test ./internal/wire -run Golden -update
//
// Review every changed byte by hand before keeping the result: the files
// are the protocol's reference, not a snapshot of the code.
var update = flag.Bool("update", false, "rewrite the golden files in "+goldenDir)

const goldenDir = "../../testdata/golden"

const clientID = "0f8b1a7e-9c3d-4e2a-8b5f-6a7c8d9e0f1a"

// Payloads of the golden frames, as the msgpack codec writes them. The test
// checks them against the msgpack library.
var (
	textHi = []byte{0x81, 0xa4, 'T', 'e', 'x', 't', 0xa2, 'h', 'i'} // {"Text": "hi"}
	args12 = []byte{0x92, 0x01, 0x02}                               // [1, 2]
	three  = []byte{0x03}                                           // 3
)

var (
	goldenHello = Hello{Version: 1, Codec: "msgpack", MaxSize: 8388608, Name: "worker-1", Subs: []string{"chat.hello", ""}}
	goldenWelc  = Welcome{Version: 1, ClientID: clientID, MaxSize: 8388608}
	goldenRej   = Status{Code: CodeVersion, Message: "unsupported protocol version 2"}
	goldenErr   = Status{Code: CodeNoHandler, Message: `no handler for "math.add"`}
)

// goldenCase is one file of testdata/golden: name.hex holds the frame of env.
type goldenCase struct {
	name  string
	about string // the file's heading comment
	env   Envelope
	node  bool // Node.js format instead of native
}

var goldenCases = []goldenCase{
	{"hello", "Hello: the client's first frame. Protocol version 1, codec \"msgpack\", accepts\n" +
		"messages up to 8 MiB, calls itself \"worker-1\", subscribes to \"chat.hello\"\n" +
		"and to every topic (\"\").",
		Envelope{Kind: KindHello, Payload: AppendHello(nil, &goldenHello)}, false},
	{"welcome", "Welcome: the server accepts the Hello. Protocol version 1, the client's id,\n" +
		"the server accepts messages up to 8 MiB, no keepalive ping.",
		Envelope{Kind: KindWelcome, Payload: AppendWelcome(nil, &goldenWelc)}, false},
	{"reject", "Reject: the server refuses the Hello (code \"version\"), then closes.",
		Envelope{Kind: KindReject, Payload: AppendStatus(nil, &goldenRej)}, false},
	{"publish", "Publish on \"chat.hello\"; payload is the msgpack of {\"Text\": \"hi\"}.\n" +
		"Sent by a client, or by the server on its own behalf (From empty).",
		Envelope{Kind: KindPublish, Topic: "chat.hello", Payload: textHi}, false},
	{"publish-relayed", "Publish that the server relays from the client " + clientID + ":\n" +
		"From names the original sender.",
		Envelope{Kind: KindPublish, Topic: "chat.hello", From: clientID, Payload: textHi}, false},
	{"publish-headers", "Publish with one header, trace-id.",
		Envelope{Kind: KindPublish, Topic: "chat.hello", Headers: map[string]string{"trace-id": "4bf92f35"}, Payload: textHi}, false},
	{"subscribe", "Subscribe to \"chat.hello\"; id 1 asks for an Ack once it is in effect.",
		Envelope{Kind: KindSubscribe, ID: 1, Topic: "chat.hello"}, false},
	{"subscribe-all", "Subscribe to every topic (\"\"); id 0: no Ack wanted.",
		Envelope{Kind: KindSubscribe}, false},
	{"unsubscribe", "Unsubscribe from \"chat.hello\"; id 2 asks for an Ack.",
		Envelope{Kind: KindUnsubscribe, ID: 2, Topic: "chat.hello"}, false},
	{"ack", "Ack: the Subscribe with id 1 is in effect.",
		Envelope{Kind: KindAck, ID: 1}, false},
	{"request", "Request 7: call \"math.add\" with the msgpack of [1, 2]; the caller waits\n" +
		"1.5 s more (1500000000 ns).",
		Envelope{Kind: KindRequest, ID: 7, Topic: "math.add", Timeout: 1500 * time.Millisecond, Payload: args12}, false},
	{"reply", "Reply to request 7: the msgpack of 3.",
		Envelope{Kind: KindReply, ID: 7, Payload: three}, false},
	{"error", "Error answering request 7: no handler (code \"no_handler\").",
		Envelope{Kind: KindError, ID: 7, Payload: AppendStatus(nil, &goldenErr)}, false},
	{"cancel", "Cancel: the caller gave up on its request 7.",
		Envelope{Kind: KindCancel, ID: 7}, false},
	{"ping", "Ping with probe id 1.",
		Envelope{Kind: KindPing, ID: 1}, false},
	{"pong", "Pong answering the Ping with probe id 1.",
		Envelope{Kind: KindPong, ID: 1}, false},
	{"goaway", "GoAway: the server is shutting down.",
		Envelope{Kind: KindGoAway}, false},
	{"node-publish", "Node.js compatibility format: a publish on \"chat.hello\" of the JSON\n" +
		"{\"text\":\"hi\"}, then the two-NUL delimiter. No length prefix.",
		Envelope{Kind: KindPublish, Topic: "chat.hello", Payload: []byte(`{"text":"hi"}`)}, true},
}

// frame returns the bytes of c as they go on the socket.
func (c goldenCase) frame(t testing.TB) []byte {
	t.Helper()
	if c.node {
		b, err := Node.Append(nil, &c.env)
		noErr(t, err, "Node.Append")
		return append(b, 0, 0)
	}
	b, err := Native.Append(make([]byte, 4), &c.env)
	noErr(t, err, "Native.Append")
	binary.BigEndian.PutUint32(b, uint32(len(b)-4))
	return b
}

func TestGoldenPayloadsAreCodecOutput(t *testing.T) {
	for _, tt := range []struct {
		v    any
		want []byte
	}{{map[string]string{"Text": "hi"}, textHi}, {[]int{1, 2}, args12}, {3, three}} {
		got, err := msgpack.Marshal(tt.v)
		noErr(t, err, "msgpack.Marshal")
		equal(t, got, tt.want, "payload")
	}
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(goldenDir, c.name+".hex")
			want := c.frame(t)
			if *update {
				text := annotateFrame(c.about, want, c.node)
				noErr(t, os.WriteFile(path, []byte(text), 0o644), "write")
			}
			text, err := os.ReadFile(path)
			noErr(t, err, "read")
			got, err := parseHex(text)
			noErr(t, err, "parse "+path)
			if !bytes.Equal(got, want) {
				t.Fatalf("%s differs from the encoder:\nfile    %x\nencoder %x", path, got, want)
			}
			checkGoldenDecode(t, c, got)
		})
	}
}

// checkGoldenDecode decodes the frame of a golden file back to its
// envelope, and its handshake payload back to its value.
func checkGoldenDecode(t *testing.T, c goldenCase, frame []byte) {
	var e Envelope
	if c.node {
		if !bytes.HasSuffix(frame, []byte{0, 0}) {
			t.Fatal("node frame does not end with two NULs")
		}
		noErr(t, Node.NewDecoder().Decode(frame[:len(frame)-2], &e), "Node.Decode")
		equal(t, e, c.env, "envelope")
		return
	}
	equal(t, int(binary.BigEndian.Uint32(frame)), len(frame)-4, "length prefix")
	noErr(t, Native.NewDecoder().Decode(frame[4:], &e), "Native.Decode")
	equal(t, e, c.env, "envelope")
	checkWithLibrary(t, frame[4:], &c.env)
	switch e.Kind {
	case KindHello:
		h, err := DecodeHello(e.Payload)
		noErr(t, err, "DecodeHello")
		equal(t, h, goldenHello, "hello")
	case KindWelcome:
		w, err := DecodeWelcome(e.Payload)
		noErr(t, err, "DecodeWelcome")
		equal(t, w, goldenWelc, "welcome")
	case KindReject, KindError:
		s, err := DecodeStatus(e.Payload)
		noErr(t, err, "DecodeStatus")
		equal(t, s, map[Kind]Status{KindReject: goldenRej, KindError: goldenErr}[e.Kind], "status")
	}
}

func TestGoldenFilesAllHaveCases(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(goldenDir, "*.hex"))
	noErr(t, err, "glob")
	var names []string
	for _, c := range goldenCases {
		names = append(names, c.name)
	}
	for _, f := range files {
		if name := strings.TrimSuffix(filepath.Base(f), ".hex"); !slices.Contains(names, name) {
			t.Errorf("%s has no test case", f)
		}
	}
	equal(t, len(files), len(goldenCases), "number of golden files")
}

// parseHex reads the .hex format: hexadecimal digits with any whitespace
// between bytes; '#' starts a comment that runs to the end of the line.
func parseHex(text []byte) ([]byte, error) {
	var digits []byte
	for line := range bytes.Lines(text) {
		if i := bytes.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		digits = append(digits, bytes.Join(bytes.Fields(line), nil)...)
	}
	return hex.AppendDecode(nil, digits)
}

func TestParseHex(t *testing.T) {
	got, err := parseHex([]byte("# heading\n00 01\t0a # comment 12\n\nff\n"))
	noErr(t, err, "parseHex")
	equal(t, got, []byte{0, 1, 0x0a, 0xff}, "bytes")
	if _, err := parseHex([]byte("0")); err == nil {
		t.Fatal("odd digit count accepted")
	}
}
