//go:build !linux

package unix

import (
	"errors"
	"fmt"
	"net"

	"github.com/sockipc/sockipc/transport"
)

// peerCredentials is not implemented on this operating system.
func peerCredentials(*net.UnixConn) (transport.Credentials, error) {
	return transport.Credentials{}, fmt.Errorf("unix: peer credentials: %w", errors.ErrUnsupported)
}
