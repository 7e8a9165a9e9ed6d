package wire

import "strconv"

// kindNames holds the name of each known kind, indexed by its number.
var kindNames = [...]string{
	KindHello:       "hello",
	KindWelcome:     "welcome",
	KindReject:      "reject",
	KindPublish:     "publish",
	KindSubscribe:   "subscribe",
	KindUnsubscribe: "unsubscribe",
	KindAck:         "ack",
	KindRequest:     "request",
	KindReply:       "reply",
	KindError:       "error",
	KindCancel:      "cancel",
	KindPing:        "ping",
	KindPong:        "pong",
	KindGoAway:      "goaway",
}

// Known reports whether k is a kind of this protocol version. A receiver
// closes the connection on an envelope of an unknown kind (see
// docs/PROTOCOL.md).
func (k Kind) Known() bool {
	return k != 0 && int(k) < len(kindNames)
}

// String returns the lower-case name of the kind, such as "publish", or
// "kind(N)" for an unknown one.
func (k Kind) String() string {
	if k.Known() {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}
