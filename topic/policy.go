package topic

// SlowConsumerPolicy says what happens to a message for a receiver that
// does not keep up: a client whose outbound queue on the server is full
// (server.WithSlowConsumerPolicy), or a subscription whose queue is full
// (server.WithSubscriptionPolicy, client.WithSubscriptionPolicy).
type SlowConsumerPolicy uint8

const (
	// Block makes the sender wait for room: backpressure, nothing lost.
	// For a client's queue on a server the wait is bounded by the
	// slow-consumer timeout, after which the client is disconnected.
	Block SlowConsumerPolicy = iota
	// Drop drops the message for that receiver only. Drops are counted in
	// Stats and reported to OnError, at most once a second per receiver.
	Drop
	// Disconnect disconnects a client whose queue is full, at once. It
	// applies to client queues on a server only.
	Disconnect
)
