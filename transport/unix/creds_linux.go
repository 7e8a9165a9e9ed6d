package unix

import (
	"fmt"
	"net"
	"syscall"

	"github.com/sockipc/sockipc/transport"
)

// peerCredentials reads the peer's pid, uid and gid with SO_PEERCRED.
func peerCredentials(c *net.UnixConn) (transport.Credentials, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return transport.Credentials{}, fmt.Errorf("unix: peer credentials: %w", err)
	}
	var cred *syscall.Ucred
	var credErr error
	err = raw.Control(func(fd uintptr) {
		cred, credErr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	})
	if err == nil {
		err = credErr
	}
	if err != nil {
		return transport.Credentials{}, fmt.Errorf("unix: peer credentials: %w", err)
	}
	return transport.Credentials{PID: int(cred.Pid), UID: int(cred.Uid), GID: int(cred.Gid)}, nil
}
