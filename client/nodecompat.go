package client

import (
	"fmt"

	"github.com/sockipc/sockipc/codec"
)

// WithNodeCompat makes the client speak the wire format of the Node.js
// library @crussell52/socket-ipc (v0.4.0) instead of the native protocol,
// so that it can connect to an unchanged Node.js server of that library
// (docs/PROTOCOL.md, section 11), or to a server made with
// server.WithNodeCompat. It cannot connect to a native sockipc server.
//
// In this mode:
//
//   - Each message is the JSON text {"topic": ..., "message": ...}
//     followed by two NUL bytes. There is no handshake: Connect returns as
//     soon as the socket is connected, which may be a moment before the
//     server has taken the client in (a message the server publishes in
//     that moment does not reach it). The server never tells the client
//     its id, so [Client.ID] stays "". WithName, WithHandshakeTimeout and
//     WithKeepalive do not apply (Node.js servers know no Ping).
//   - The codec is [codec.JSON], as if set with WithCodec(codec.JSON). A
//     WithCodec given after WithNodeCompat may only choose another codec
//     named "json" (one that decodes numbers as json.Number, say); New
//     fails with any other.
//   - Publishing, subscribing (typed, raw and catch-all), retry and
//     reconnect work as usual. Subscriptions stay local: the server sends
//     every message to every client, and the client hands each one to the
//     subscriptions of its topic. The raw layer (PublishRaw, SubscribeRaw)
//     also accepts the empty topic "", which Node.js peers may use; typed
//     topics keep their name rules.
//   - Calls do not exist in the format: topic.Call, topic.Handle and the
//     raw methods under them fail with an error wrapping
//     [topic.ErrUnsupported]. Nothing but the messages published is ever
//     written to the server.
//   - A message that is not a JSON object with a string "topic" is
//     reported to OnError as a *topic.DecodeError, and the connection goes
//     on with the next message. A message longer than WithMaxMessageSize
//     ends the connection, which the client reports to OnDisconnect and
//     then reconnects.
//
// Numbers are JavaScript doubles on the Node.js side: integers beyond 2^53
// lose precision there. The Node.js side has no size limit.
func WithNodeCompat() Option {
	return func(o *config) {
		o.nodeCompat = true
		o.codec = codec.JSON
	}
}

// checkNodeCompat refuses a configuration that cannot speak the Node.js
// format.
func checkNodeCompat(cfg config) error {
	if cfg.nodeCompat && cfg.codec.Name() != codec.JSON.Name() {
		return fmt.Errorf("client: WithNodeCompat needs a codec named %q, not %q: the Node.js format carries JSON",
			codec.JSON.Name(), cfg.codec.Name())
	}
	return nil
}
