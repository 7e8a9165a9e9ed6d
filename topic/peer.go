package topic

// ServerID is the [Peer.ID] of messages that a server sends itself, as its
// clients see them.
const ServerID = "server"

// Peer is the other end of a message: who sent it.
//
// On a server, a Peer is one connected client. On a client, messages the
// server sent itself come from a Peer whose ID is [ServerID], and messages
// the server relayed from another client carry that client's ID.
type Peer struct {
	// ID is the client's id, a lowercase hyphenated UUID v4 string
	// assigned by the server, or ServerID.
	ID string
	// Name is the name the client gave itself with client.WithName, if
	// any. Clients choose their names freely: do not use it to
	// authenticate.
	Name string
	// PID, UID and GID identify the client's process, as the operating
	// system reported it when the client connected (SO_PEERCRED on Linux).
	// They are set on the server side only, and PID is 0 when they are
	// unknown (no process has pid 0; UID and GID are then meaningless).
	PID, UID, GID int
}

// IsServer reports whether the peer is the server itself.
func (p Peer) IsServer() bool { return p.ID == ServerID }
