package server

import (
	"fmt"
	"os"
	"slices"

	"github.com/sockipc/sockipc/topic"
)

// WithAuthorize sets a function that decides, for each new connection,
// whether the client may connect. It sees the client's topic.Peer, with
// its operating-system credentials (PID, UID, GID, on Linux) and the name
// it gave itself, before the handshake completes. A non-nil error refuses
// the client: the refusal travels in the handshake, so the client's
// Connect fails at once with an error wrapping [topic.ErrUnauthorized]
// and the reason, and the client does not retry. [SameUser], [AllowUIDs]
// and [AllowGIDs] are ready-made checks.
func WithAuthorize(f func(topic.Peer) error) Option {
	return func(o *config) { o.authorize = f }
}

// SameUser is an authorize function (see [WithAuthorize]) that admits only
// processes running as the server's own user.
func SameUser() func(topic.Peer) error {
	return AllowUIDs(os.Getuid())
}

// AllowUIDs is an authorize function (see [WithAuthorize]) that admits only
// processes running as one of the given user ids.
func AllowUIDs(uids ...int) func(topic.Peer) error {
	uids = slices.Clone(uids)
	return func(p topic.Peer) error {
		if p.PID == 0 || !slices.Contains(uids, p.UID) {
			return fmt.Errorf("uid %d not allowed", p.UID)
		}
		return nil
	}
}

// AllowGIDs is an authorize function (see [WithAuthorize]) that admits only
// processes whose group id is one of the given ones.
func AllowGIDs(gids ...int) func(topic.Peer) error {
	gids = slices.Clone(gids)
	return func(p topic.Peer) error {
		if p.PID == 0 || !slices.Contains(gids, p.GID) {
			return fmt.Errorf("gid %d not allowed", p.GID)
		}
		return nil
	}
}
