// Package nats carries sockipc connections over NATS, so that a server and
// its clients can run on different machines. It implements
// transport.Transport: give a [Transport] to server.WithTransport and
// client.WithTransport, and the same topics, procedures and handlers work
// unchanged, handshake, relay, keepalive and graceful shutdown included.
//
//	t, err := nats.New(nats.WithURL("nats://10.0.0.5:4222"))
//	...
//	defer t.Close()
//	srv, err := server.New("chat", server.WithTransport(t))
//
// A NATS message has a maximum size (the server's max_payload): a
// Transport reports it with MaxMessageSize, and servers and clients using
// the transport lower their own maximum message size to it by themselves.
//
// The address given to server.New and client.New is a name, such as
// "chat", made of NATS subject tokens; a server listens under it and
// clients dial it. Two servers cannot listen under the same name on one
// NATS system: the second one's Listen fails with an error wrapping
// transport.ErrAddrInUse.
//
// # What travels
//
// Each frame travels as one NATS message on subjects of its own
// connection, under the prefix "sockipc" (see [WithPrefix]):
//
//	sockipc.<name>.accept     dials and claims, to the listener
//	sockipc.<name>.s.<id>     frames to the server side of a connection
//	sockipc.<name>.c.<id>     frames to the client side of a connection
//
// docs/PROTOCOL.md in the sockipc repository describes every message.
//
// # Guarantees
//
// A connection behaves as a socket does. Frames arrive in order, each
// once. A writer waits while the reader on the other side is a window
// behind (see [WithWindow]): there is backpressure, and the receiving
// queue is bounded. Frames lost because either side's NATS connection
// broke are sent again once it is back, within the disconnect grace (see
// [WithDisconnectGrace]); past it, the connection ends with an error
// wrapping [ErrDisconnected] and the sockipc client reconnects by its own
// policy. When a side closes, the other reads every frame sent before,
// then io.EOF. A peer that freezes or dies without closing is found by
// sockipc's keepalive.
//
// # Limits
//
// A frame must fit one NATS message: the NATS server's max_payload (1 MiB
// by default) less a small header; see [Transport.MaxMessageSize] and set
// the sockipc maximum message size at or below it. Security comes from
// NATS itself: its accounts, permissions and TLS, configured with
// [WithNATSOptions]. Peer credentials (PID, UID, GID) do not exist across
// machines: a server's authorize hook sees zeros.
package nats
