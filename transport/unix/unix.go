// Package unix carries sockipc messages over unix domain sockets.
//
// [Transport] implements [transport.Transport]: a server listens on a
// socket file, clients dial it, and every connection implements
// [transport.CredentialsConn], so a server can tell which process, user and
// group is at the other end (on Linux; elsewhere PeerCredentials returns an
// error wrapping [errors.ErrUnsupported]).
//
// Listen takes care of the chores of a socket file: it validates the path
// up front ([ValidatePath]), reclaims a stale file left behind by a process
// that died, refuses to disturb a live server, restricts the file's
// permissions, and removes the file on Close.
//
// On Linux, a path starting with '@' names an abstract socket: it lives in
// the kernel only, has no file, and disappears with its listener.
package unix

import (
	"os"

	"github.com/sockipc/sockipc/transport"
)

// DefaultMode is the permission of a new socket file: read and write for
// the owner only. Connecting to a unix socket needs write permission on its
// file, so only the owner (and root) can connect.
const DefaultMode os.FileMode = 0o600

// Transport listens and dials on unix domain sockets. Create one with
// [New]; the zero value is also ready to use, with the defaults. A
// Transport is safe for concurrent use.
type Transport struct {
	mode    os.FileMode
	modeSet bool
	framing transport.Framing
}

var _ transport.Transport = (*Transport)(nil)

// New returns a Transport configured by opts.
func New(opts ...Option) *Transport {
	t := &Transport{}
	for _, opt := range opts {
		opt(t)
	}
	return t
}

// Option configures a [Transport].
type Option func(*Transport)

// WithMode sets the permission bits of the socket files Listen creates
// (default [DefaultMode], 0600). Since connecting needs write permission,
// 0660 lets the owner's group connect too. Bits other than the permission
// bits are ignored. Abstract sockets have no file and no mode.
//
// Listen applies the mode right after creating the file. Until then the
// file has the mode the process umask gives; with the usual umask of 022
// that is 0755, which lets no one but the owner connect.
func WithMode(mode os.FileMode) Option {
	return func(t *Transport) { t.mode, t.modeSet = mode.Perm(), true }
}

// WithFraming sets how messages are framed on the byte stream (default
// [transport.LengthPrefixed]). To speak to the Node.js library
// @crussell52/socket-ipc, use
//
//	unix.WithFraming(transport.Delimited([]byte(transport.NodeDelimiter)))
func WithFraming(f transport.Framing) Option {
	return func(t *Transport) { t.framing = f }
}

func (t *Transport) fileMode() os.FileMode {
	if t.modeSet {
		return t.mode
	}
	return DefaultMode
}
