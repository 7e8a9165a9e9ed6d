package unix

import (
	"context"
	"net"

	"github.com/sockipc/sockipc/transport"
)

// Dial connects to the listener at path, after checking it with
// [ValidatePath]. ctx bounds the connection attempt only.
//
// Errors from the system wrap its error numbers, so a caller can tell a
// missing socket file (errors.Is(err, syscall.ENOENT)) from a stale one
// with no listener (errors.Is(err, syscall.ECONNREFUSED)).
func (t *Transport) Dial(ctx context.Context, path string) (transport.Conn, error) {
	if err := ValidatePath(path); err != nil {
		return nil, err
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return nil, err
	}
	return newConn(c.(*net.UnixConn), t.framing), nil
}
