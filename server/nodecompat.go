package server

import (
	"fmt"

	"github.com/sockipc/sockipc/codec"
)

// WithNodeCompat makes the server speak the wire format of the Node.js
// library @crussell52/socket-ipc (v0.4.0) instead of the native protocol,
// so that unchanged Node.js clients of that library can connect to it
// (docs/PROTOCOL.md, section 11). Native sockipc clients cannot connect to
// such a server, except clients made with client.WithNodeCompat.
//
// In this mode:
//
//   - Each message is the JSON text {"topic": ..., "message": ...}
//     followed by two NUL bytes. There is no handshake: a client is
//     connected, and reported to OnConnect with a new UUID v4 id, as soon
//     as it is accepted. The id never travels: the Node.js client does not
//     know it.
//   - The codec is [codec.JSON], as if set with WithCodec(codec.JSON). A
//     WithCodec given after WithNodeCompat may only choose another codec
//     named "json" (one that decodes numbers as json.Number, say); New
//     fails with any other.
//   - Publishing works as usual, except that a publish goes to every
//     connected client, since Node.js clients do not say what they
//     subscribe to; they filter by topic themselves. SendTo, catch-all
//     subscriptions, OnConnect and OnDisconnect work as usual. The raw
//     layer (PublishRaw, SendToRaw, SubscribeRaw) also accepts the empty
//     topic "", which Node.js clients may use; typed topics keep their
//     name rules.
//   - Calls do not exist in the format: topic.Handle, [Call] and the raw
//     methods under them fail with an error wrapping
//     [topic.ErrUnsupported]. Nothing but the messages published is ever
//     written to a client.
//   - A message that is not a JSON object with a string "topic" is
//     reported to OnError as a *topic.DecodeError, and the connection goes
//     on with the next message. A message longer than WithMaxMessageSize
//     closes that client's connection, and is reported to OnError.
//   - The maximum message size is not announced: Node.js clients send
//     messages of any size. WithHandshakeTimeout and WithKeepalive do not
//     apply (Node.js clients know no Ping, so a silent client is never
//     taken for dead), and Shutdown writes what is queued for each client
//     and closes it, without a GoAway.
//
// Numbers are JavaScript doubles on the Node.js side: integers beyond 2^53
// lose precision there.
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
		return fmt.Errorf("server: WithNodeCompat needs a codec named %q, not %q: the Node.js format carries JSON",
			codec.JSON.Name(), cfg.codec.Name())
	}
	return nil
}
