package topic

// Stats are the counters of a server or client since it was created.
// Frames of every kind count as messages (control frames such as pings
// and acknowledgements included); bytes are frame bodies.
type Stats struct {
	MsgsIn, MsgsOut   uint64
	BytesIn, BytesOut uint64
	// Dropped counts messages dropped for slow consumers (server, Drop
	// policy) and for full subscription queues (Drop policy).
	Dropped uint64
	// SlowConsumers counts clients disconnected for not reading fast
	// enough (server).
	SlowConsumers uint64
	// Reconnects counts automatic reconnections (client).
	Reconnects uint64
	// Clients is the number of clients connected now (server).
	Clients int
}
