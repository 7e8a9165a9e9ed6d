package unix

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"sync/atomic"
	"syscall"

	"github.com/sockipc/sockipc/transport"
)

// Listen starts accepting connections on the unix socket at path, after
// checking it with [ValidatePath].
//
// If a socket file is already there, Listen connects to it to see whether
// it is alive. When nothing answers, the file is stale, left behind by a
// process that died, and Listen removes it and takes its place. When a
// listener answers, Listen fails with an error wrapping
// [transport.ErrAddrInUse] and leaves that listener undisturbed: it only
// sees a connection that closes at once. A file that is not a socket is
// never removed; Listen fails with an error wrapping [ErrNotSocket].
//
// The new socket file gets the transport's mode (see [WithMode]) right
// after it is created. Closing the listener removes the file, unless
// another listener has replaced it meanwhile.
func (t *Transport) Listen(path string) (transport.Listener, error) {
	if err := ValidatePath(path); err != nil {
		return nil, err
	}
	abstract := isAbstract(path)
	if !abstract {
		if err := reclaim(path); err != nil {
			return nil, err
		}
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("unix: listen %q: %w (%w)", path, transport.ErrAddrInUse, err)
	}
	if err != nil {
		return nil, err
	}
	// Close removes the file itself, and only if it is still ours.
	ln.SetUnlinkOnClose(false)
	l := &listener{ln: ln, path: path, framing: t.framing}
	if abstract {
		return l, nil
	}
	if err := os.Chmod(path, t.fileMode()); err != nil {
		ln.Close()
		os.Remove(path)
		return nil, fmt.Errorf("unix: listen: set socket file mode: %w", err)
	}
	if l.file, err = os.Lstat(path); err != nil {
		ln.Close()
		return nil, fmt.Errorf("unix: listen: %w", err)
	}
	return l, nil
}

// listener is a transport.Listener on a unix socket.
type listener struct {
	ln      *net.UnixListener
	path    string
	framing transport.Framing
	file    fs.FileInfo // the socket file created; nil for abstract names
	closed  atomic.Bool
}

func (l *listener) Accept() (transport.Conn, error) {
	c, err := l.ln.AcceptUnix()
	if err != nil {
		return nil, err
	}
	return newConn(c, l.framing), nil
}

func (l *listener) Close() error {
	if l.closed.Swap(true) {
		return nil
	}
	err := l.ln.Close()
	if l.file == nil {
		return err
	}
	// A server that took over the path after us keeps its file.
	if cur, serr := os.Lstat(l.path); serr == nil && os.SameFile(cur, l.file) {
		if rerr := os.Remove(l.path); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			err = errors.Join(err, rerr)
		}
	}
	return err
}

func (l *listener) Addr() string { return l.path }
