// Package topic is the typed face of sockipc: the names, types and
// functions that application code uses on both sides of a connection.
//
// A [Topic] binds a name to a Go type, so that publishing the wrong type is a
// compile error rather than a runtime surprise. Declare topics once, in a
// package that both the server and the clients import:
//
//	package chat
//
//	type Greeting struct{ Text string }
//
//	var Hello = topic.New[Greeting]("chat.hello")
//
// Then publish and subscribe through any [Endpoint] (a *server.Server or a
// *client.Client):
//
//	topic.Subscribe(cl, chat.Hello, func(ctx context.Context, g chat.Greeting, from topic.Peer) {
//		fmt.Println(from.ID, "says", g.Text)
//	})
//	err := topic.Publish(ctx, srv, chat.Hello, chat.Greeting{Text: "hi"})
//
// Underneath, an Endpoint moves names and encoded payloads only (the raw
// layer). [SubscribeAll] and the Raw methods of Endpoint expose that layer
// for catch-all handlers, bridges and tools.
//
// The errors of the messaging API live here too, so handling code needs one
// import: compare with errors.Is against [ErrClosed], [ErrNotConnected] and
// the rest, and use errors.As for [*EncodeError] and [*DecodeError].
package topic
